namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>One cycle with its progress, in total and per phase (planering, budget, uppfoljning).</summary>
public sealed class GetCycleQuery(AnnualCycleDbContext db, TimeProvider clock)
{
    public async Task<CycleDetailDto> HandleAsync(Actor actor, Guid cycleId, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct) ?? throw new NotFoundException($"No cycle {cycleId}.");
        Visibility.Require(actor, cycle.OrganisationId, cycleId);
        var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).Select(s => new { s.Phase, s.State, s.DueAtUtc }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var phases = steps.GroupBy(s => s.Phase).OrderBy(g => g.Min(s => s.DueAtUtc))
            .Select(g => new PhaseProgressDto(g.Key, CycleProgress.Of(g.Select(s => (s.State, s.DueAtUtc)), now))).ToList();
        return new CycleDetailDto(CycleProgress.Summary(cycle, steps.Select(s => (s.State, s.DueAtUtc)), now), phases);
    }
}
