using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="DeliverableFileId">A file uploaded to this step (<c>UploadDeliverableHandler</c>) that the submission refers to.</param>
public sealed record SubmitStepCommand(Guid StepId, string? DeliverableLink, string? Comment, Guid? DeliverableFileId = null);

/// <summary>
/// A contributor of the step's body (or their deputy) submits the deliverable. Only from Opened (a return
/// puts the step back to Opened). A step without approvals completes at once; otherwise the holders of the
/// first approval's role are asked. The submitter is copied onto the approval rows so the database can
/// refuse a self-approval.
/// </summary>
public sealed class SubmitStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, SubmitStepCommand command, CancellationToken ct = default)
    {
        if (command.DeliverableLink is { Length: > 2000 })
        {
            throw new InputException("deliverableLink", "must be at most 2000 characters");
        }

        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, command.StepId, ct);
            var authority = StepAuthorization.RequireContributor(actor, cycle.OrganisationId, step.BodyId);
            StepTransitions.Ensure(step.Key, StepAction.Submit, step.State);
            if (command.DeliverableFileId is { } fileId && !await db.DeliverableFiles.AnyAsync(f => f.Id == fileId && f.StepInstanceId == step.Id, ct))
            {
                throw new InputException("deliverableFileId", "is not a file uploaded to this step");
            }

            step.State = StepState.Submitted;
            step.SubmittedByUserId = authority.UserId;
            step.SubmittedOnBehalfOfUserId = authority.OnBehalfOfUserId;
            step.SubmittedAtUtc = work.Now;
            step.DeliverableLink = command.DeliverableLink;
            step.DeliverableFileId = command.DeliverableFileId;
            step.Comment = command.Comment;
            StepLifecycle.Bump(step);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "Submitted", step, nameof(StepState.Opened), nameof(StepState.Submitted), command.Comment);

            var chain = await db.Approvals.Where(a => a.StepInstanceId == step.Id && a.Round == step.Round).OrderBy(a => a.Order).ToListAsync(ct);
            foreach (var approval in chain)
            {
                approval.SubmittedByUserId = step.SubmittedByUserId;
                approval.SubmittedOnBehalfOfUserId = step.SubmittedOnBehalfOfUserId;
            }

            if (chain.Count == 0)
            {
                await lifecycle.CompleteAsync(work, cycle, step, actor.UserId, authority.OnBehalfOfUserId, "Completed", null, ct);
            }
            else
            {
                await lifecycle.RequestApprovalAsync(work, cycle, step, chain[0], ct);
            }

            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Submit), ct);
    }
}
