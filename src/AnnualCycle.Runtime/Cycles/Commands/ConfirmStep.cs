namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="MeetingDate">Required when the step is a decision (<see cref="StepCapabilities.DecisionOf"/>): the date of the meeting that decided, never after today.</param>
/// <param name="Paragraph">Required with <paramref name="MeetingDate"/>: the minutes' paragraph, e.g. "§ 123".</param>
public sealed record ConfirmStepCommand(Guid StepId, string? Comment, DateOnly? MeetingDate = null, string? Paragraph = null);

/// <summary>
/// A meeting, milestone or decision completes when the body's contributor or the process owner confirms it took place;
/// a decision with the meeting date and § that record it.
/// </summary>
public sealed class ConfirmStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, ConfirmStepCommand command, CancellationToken ct = default)
    {
        var comment = FreeText.Optional("comment", command.Comment);
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, command.StepId, ct);
            var authority = context.Require(actor, StepAction.Confirm);
            var decision = StepCommand.Meeting(StepCapabilities.DecisionOf(StepAction.Confirm, context.Step, null), command.MeetingDate, command.Paragraph, lifecycle.LocalDate(work.Now));
            await lifecycle.ResolveAsync(work, context.Cycle, context.Step, StepAction.Confirm, authority.UserId, authority.OnBehalfOfUserId, comment, ct, decision);
            return StepDto.From(context.Step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Confirm), ct);
    }
}
