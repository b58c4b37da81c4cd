namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="DeliverableFileId">A file uploaded to this step (<c>UploadDeliverableHandler</c>) that the submission refers to.</param>
public sealed record SubmitStepCommand(Guid StepId, string? DeliverableLink, string? Comment, Guid? DeliverableFileId = null);

/// <summary>
/// A contributor of the step's body (or their deputy) submits the deliverable of a task, from Opened or, after a
/// return, from Returned (a meeting, milestone or decision is confirmed instead). A step without approvals completes
/// at once; otherwise the holders of the first approval's role are asked. The submitter is copied onto the approval
/// rows so the database can refuse a self-approval. A submission carries a file, a link or a comment (400 <c>deliverableLink</c> otherwise).
/// </summary>
public sealed class SubmitStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, SubmitStepCommand command, CancellationToken ct = default)
    {
        var link = Deliverables.DeliverableLink.Validate(command.DeliverableLink);

        var comment = FreeText.Optional("comment", command.Comment);
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, command.StepId, ct);
            var (step, cycle) = context;
            var authority = context.Require(actor, StepAction.Submit);
            // Something must be handed in: a file, a link or at least a comment that says where the deliverable is.
            // Checked after the capability rule, so a stranger still hears 403 and a finished step 409.
            if (string.IsNullOrWhiteSpace(command.DeliverableLink) && command.DeliverableFileId is null && comment is null)
            {
                throw new InputException("deliverableLink", "a file (deliverableFileId), a link (deliverableLink) or a comment is required to submit");
            }

            if (command.DeliverableFileId is { } fileId && !await db.DeliverableFiles.AnyAsync(f => f.Id == fileId && f.StepInstanceId == step.Id, ct))
            {
                throw new InputException("deliverableFileId", "is not a file uploaded to this step");
            }

            step.DeliverableLink = link;
            step.DeliverableFileId = command.DeliverableFileId;
            step.Apply(StepAction.Submit, authority.UserId, authority.OnBehalfOfUserId, comment, work);

            foreach (var approval in context.Round)
            {
                approval.CopySubmitter(step);
            }

            if (context.Round.Count == 0)
            {
                await lifecycle.ResolveAsync(work, cycle, step, StepAction.Complete, authority.UserId, authority.OnBehalfOfUserId, null, ct);
            }
            else
            {
                await lifecycle.RequestApprovalAsync(work, cycle, step, context.Round[0], ct);
            }

            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Submit), ct);
    }
}
