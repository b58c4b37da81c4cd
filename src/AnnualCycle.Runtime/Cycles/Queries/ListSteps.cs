using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>The steps of a cycle in due order, each with what the actor may do with it now.</summary>
public sealed class ListStepsQuery(AnnualCycleDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<StepDto>> HandleAsync(Actor actor, Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct) ?? throw new NotFoundException($"No cycle {cycleId}.");
        Visibility.Require(actor, cycle.OrganisationId, cycleId);
        var now = clock.GetUtcNow().UtcDateTime;
        var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync(ct);
        // Only a submitted step's current round decides anything (approve, return). Read by the submitted steps' keys
        // (the approvals' index), not by a subquery per approval: that walked every approval of every cycle in the
        // database for each dashboard.
        var submitted = steps.Where(s => s.State == StepState.Submitted).ToDictionary(s => s.Id, s => s.Round);
        var ids = submitted.Keys.ToList();
        var chains = (ids.Count == 0 ? [] : await db.Approvals.AsNoTracking().Where(a => ids.Contains(a.StepInstanceId)).ToListAsync(ct))
            .Where(a => submitted[a.StepInstanceId] == a.Round)
            .ToLookup(a => a.StepInstanceId);
        return steps.OrderBy(s => s.DueAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => StepDto.From(s, now, StepCapabilities.For(actor, cycle.OrganisationId, s, chains[s.Id]))).ToList();
    }
}
