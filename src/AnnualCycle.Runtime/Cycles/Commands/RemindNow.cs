using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record RemindNowCommand(Guid StepId);

/// <summary>The process owner chases an open step by hand: a reminder to its contributors, at most one per Stockholm day.</summary>
public sealed class RemindNowHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, RemindNowCommand command, CancellationToken ct = default) =>
        await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, command.StepId, ct);
            var authority = StepAuthorization.RequireProcessOwner(actor, cycle.OrganisationId);
            StepTransitions.Ensure(step.Key, StepAction.Remind, step.State);
            var day = lifecycle.LocalDate(work.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var recipients = await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
            work.Notify(OutboxKind.Reminder, step, recipients, u => $"remind-now:{step.Id}:{day}:{u}");
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "RemindedByHand", step, null, null, $"{recipients.Count} recipient(s)");
            return StepDto.From(step, work.Now);
        }, null, ct);
}
