using AnnualCycle.Data;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>The steps of a cycle in due order.</summary>
public sealed class ListStepsQuery(AnnualCycleDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<StepDto>> HandleAsync(Actor actor, Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct) ?? throw new NotFoundException($"No cycle {cycleId}.");
        Visibility.Require(actor, cycle.OrganisationId, cycleId);
        var now = clock.GetUtcNow().UtcDateTime;
        var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync(ct);
        return steps.OrderBy(s => s.DueAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => StepDto.From(s, now)).ToList();
    }
}
