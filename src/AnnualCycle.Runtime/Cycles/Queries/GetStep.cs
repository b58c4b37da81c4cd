namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>One step with what the actor may do with it, every approval (all rounds, so a return stays visible) and its journal.</summary>
public sealed class GetStepQuery(AnnualCycleDbContext db, TimeProvider clock)
{
    public async Task<StepDetailDto> HandleAsync(Actor actor, Guid stepId, CancellationToken ct = default)
    {
        var step = await db.StepInstances.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stepId, ct) ?? throw new NotFoundException($"No step {stepId}.");
        var organisation = await db.Cycles.AsNoTracking().Where(c => c.Id == step.CycleId).Select(c => c.OrganisationId).FirstAsync(ct);
        if (!Visibility.Organisations(actor).Contains(organisation))
        {
            throw new NotFoundException($"No step {stepId}.");
        }

        var approvals = await db.Approvals.AsNoTracking().Where(a => a.StepInstanceId == stepId).OrderBy(a => a.Round).ThenBy(a => a.Order).ToListAsync(ct);
        var journal = await db.Journal.AsNoTracking().Where(j => j.StepInstanceId == stepId).OrderBy(j => j.Sequence).ToListAsync(ct);
        var can = StepCapabilities.For(actor, organisation, step, approvals);
        return new StepDetailDto(StepDto.From(step, clock.GetUtcNow().UtcDateTime, can), approvals.Select(ApprovalDto.From).ToList(), journal.Select(JournalEntryDto.From).ToList());
    }
}
