namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record ReturnStepCommand(Guid StepId, string? Comment);

/// <summary>
/// The current approver sends the step back with a mandatory comment: <c>Submitted → Returned</c>. The contributors
/// submit again from Returned, and that submission starts a fresh round of approvals (the decided rows of this round
/// stay as history). The submitter and the body's contributors are told.
/// </summary>
public sealed class ReturnStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public Task<StepDto> HandleAsync(Actor actor, ReturnStepCommand command, CancellationToken ct = default) =>
        StepCommand.DecideAsync(db, clock, lifecycle, actor, command.StepId, StepAction.Return, FreeText.Required("comment", command.Comment, "is required when returning a step"), async (work, context, authority, approval, _) =>
        {
            var (step, cycle) = context;
            var comment = approval.Comment;
            var submitter = step.SubmittedByUserId;
            step.Apply(StepAction.Return, authority.UserId, authority.OnBehalfOfUserId, comment, work);

            // A fresh chain for the next submission (the step's Round moved on with the return).
            foreach (var old in context.Round)
            {
                db.Approvals.Add(ApprovalInstanceEntity.Pending(step, old.Signature()));
            }

            var recipients = await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
            if (submitter is not null)
            {
                recipients = recipients.Append(submitter).Distinct().ToList();
            }

            work.Notify(EmailKind.Returned, step, recipients, u => $"returned:{approval.Id}:{u}", comment);
        }, ct);
}
