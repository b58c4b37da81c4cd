namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="MeetingDate">Required when the signature is the nämnd deciding at its meeting (<see cref="StepCapabilities.DecisionOf"/>), never after today.</param>
/// <param name="Paragraph">Required with <paramref name="MeetingDate"/>: the minutes' paragraph, e.g. "§ 123".</param>
public sealed record ApproveStepCommand(Guid StepId, string? Comment, DateOnly? MeetingDate = null, string? Paragraph = null);

/// <summary>
/// The holder of the current pending approval's role in that approval's body signs off (never the submitter, never a
/// second signature of the round: <see cref="StepCapabilities"/>). The last approval of the chain completes the step,
/// which may open its dependants; otherwise the next approver is asked.
/// </summary>
public sealed class ApproveStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public Task<StepDto> HandleAsync(Actor actor, ApproveStepCommand command, CancellationToken ct = default) =>
        StepCommand.DecideAsync(db, clock, lifecycle, actor, command.StepId, StepAction.Approve, FreeText.Optional("comment", command.Comment), async (work, context, authority, approval, decision) =>
        {
            var (step, cycle) = context;
            // The step's token guards the approval too: two approvers racing on one step cannot both win.
            step.Apply(StepAction.Approve, authority.UserId, authority.OnBehalfOfUserId, approval.Comment, work, $"{step.Key} ({approval.Title})", decision);

            var next = context.Round.Where(a => a.State == ApprovalState.Pending && a.Order > approval.Order).MinBy(a => a.Order);
            if (next is null)
            {
                await lifecycle.ResolveAsync(work, cycle, step, StepAction.Complete, authority.UserId, authority.OnBehalfOfUserId, null, ct);
            }
            else
            {
                await lifecycle.RequestApprovalAsync(work, cycle, step, next, ct);
            }
        }, ct, command.MeetingDate, command.Paragraph);
}
