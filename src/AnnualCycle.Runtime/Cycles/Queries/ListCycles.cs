namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>The cycles of the organisations the actor belongs to, newest year first, with progress.</summary>
public sealed class ListCyclesQuery(AnnualCycleDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<CycleSummaryDto>> HandleAsync(Actor actor, string? organisationId = null, CancellationToken ct = default)
    {
        var organisations = Visibility.Organisations(actor).ToList();
        var cycles = await db.Cycles.AsNoTracking()
            .Where(c => organisations.Contains(c.OrganisationId) && (organisationId == null || c.OrganisationId == organisationId))
            .OrderByDescending(c => c.Year).ThenBy(c => c.Name).ToListAsync(ct);
        var ids = cycles.Select(c => c.Id).ToList();
        var steps = (await db.StepInstances.AsNoTracking().Where(s => ids.Contains(s.CycleId)).Select(s => new { s.CycleId, s.State, s.DueAtUtc }).ToListAsync(ct))
            .ToLookup(s => s.CycleId);
        var now = clock.GetUtcNow().UtcDateTime;
        return cycles.Select(c => CycleProgress.Summary(c, steps[c.Id].Select(s => (s.State, s.DueAtUtc)), now)).ToList();
    }
}
