using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record ApproveStepCommand(Guid StepId, string? Comment);

/// <summary>
/// The holder of the current pending approval's role in that approval's body signs off (not the submitter,
/// not on the submitter's behalf). The last approval of the chain completes the step, which may open its
/// dependants; otherwise the next approver is asked.
/// </summary>
public sealed class ApproveStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, ApproveStepCommand command, CancellationToken ct = default) =>
        await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, command.StepId, ct);
            StepTransitions.Ensure(step.Key, StepAction.Approve, step.State);
            // No pending approval although the step read as Submitted: another decision committed in between.
            // Report the state as it is now, not as this command first read it.
            var approval = await StepLifecycle.CurrentApprovalAsync(db, step, ct)
                ?? throw await StepLifecycle.ConflictReporter(db, step.Id, StepAction.Approve)();
            var authority = StepAuthorization.RequireApprover(actor, cycle.OrganisationId, approval.BodyId, approval.Role, step.SubmittedByUserId, step.SubmittedOnBehalfOfUserId);

            approval.State = ApprovalState.Approved;
            approval.DecidedByUserId = authority.UserId;
            approval.OnBehalfOfUserId = authority.OnBehalfOfUserId;
            approval.DecidedAtUtc = work.Now;
            approval.Comment = command.Comment;
            // The step's token guards the approval too: two approvers racing on one step cannot both win.
            StepLifecycle.Bump(step);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "Approved", step, nameof(StepState.Submitted), nameof(StepState.Submitted), command.Comment, $"{step.Key} ({approval.Title})");

            var next = await db.Approvals
                .Where(a => a.StepInstanceId == step.Id && a.Round == step.Round && a.State == ApprovalState.Pending && a.Order > approval.Order)
                .OrderBy(a => a.Order).FirstOrDefaultAsync(ct);
            if (next is null)
            {
                await lifecycle.CompleteAsync(work, cycle, step, actor.UserId, authority.OnBehalfOfUserId, "Completed", null, ct);
            }
            else
            {
                await lifecycle.RequestApprovalAsync(work, cycle, step, next, ct);
            }

            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Approve), ct);
}
