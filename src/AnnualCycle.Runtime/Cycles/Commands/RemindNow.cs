namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record RemindNowCommand(Guid StepId);

/// <summary>The process owner chases a step waiting for its contributors by hand: a reminder to them, at most one per Stockholm day.</summary>
public sealed class RemindNowHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, RemindNowCommand command, CancellationToken ct = default) =>
        await EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, command.StepId, ct);
            var (step, cycle) = context;
            var authority = context.Require(actor, StepAction.Remind);
            var day = lifecycle.LocalDate(work.Now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var recipients = await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
            work.Notify(EmailKind.Reminder, step, recipients, u => $"remind-now:{step.Id}:{day}:{u}");
            step.Apply(StepAction.Remind, authority.UserId, authority.OnBehalfOfUserId, $"{recipients.Count} recipient(s)", work);
            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Remind), ct);
}
