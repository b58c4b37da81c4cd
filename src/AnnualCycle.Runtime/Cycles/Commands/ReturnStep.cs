using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record ReturnStepCommand(Guid StepId, string? Comment);

/// <summary>
/// The current approver sends the step back with a mandatory comment. The step goes
/// <c>Submitted → Returned → Opened</c> in one transaction, both transitions in the journal, and the next
/// submission starts a fresh round of approvals. The submitter and the body's contributors are told.
/// </summary>
public sealed class ReturnStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, ReturnStepCommand command, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(command.Comment))
        {
            throw new InputException("comment", "is required when returning a step");
        }

        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, command.StepId, ct);
            StepTransitions.Ensure(step.Key, StepAction.Return, step.State);
            // No pending approval although the step read as Submitted: another decision committed in between.
            // Report the state as it is now, not as this command first read it.
            var approval = await StepLifecycle.CurrentApprovalAsync(db, step, ct)
                ?? throw await StepLifecycle.ConflictReporter(db, step.Id, StepAction.Return)();
            var authority = StepAuthorization.RequireApprover(actor, cycle.OrganisationId, approval.BodyId, approval.Role, step.SubmittedByUserId, step.SubmittedOnBehalfOfUserId);

            approval.State = ApprovalState.Returned;
            approval.DecidedByUserId = authority.UserId;
            approval.OnBehalfOfUserId = authority.OnBehalfOfUserId;
            approval.DecidedAtUtc = work.Now;
            approval.Comment = command.Comment;

            var submitter = step.SubmittedByUserId;
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "Returned", step, nameof(StepState.Submitted), nameof(StepState.Returned), command.Comment);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "Reopened", step, nameof(StepState.Returned), nameof(StepState.Opened), null);
            step.State = StepState.Opened;
            step.ReturnCount++;
            step.Reason = command.Comment;
            step.Round++;
            StepLifecycle.Bump(step);

            // A fresh chain for the next submission; the decided rows of this round stay as history.
            var chain = await db.Approvals.Where(a => a.StepInstanceId == step.Id && a.Round == step.Round - 1).OrderBy(a => a.Order).ToListAsync(ct);
            foreach (var old in chain)
            {
                db.Approvals.Add(new ApprovalInstanceEntity
                {
                    Id = Guid.NewGuid(),
                    StepInstanceId = step.Id,
                    Round = step.Round,
                    Order = old.Order,
                    BodyId = old.BodyId,
                    Role = old.Role,
                    Title = old.Title,
                    State = ApprovalState.Pending,
                });
            }

            var recipients = await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
            if (submitter is not null)
            {
                recipients = recipients.Append(submitter).Distinct().ToList();
            }

            work.Notify(OutboxKind.Returned, step, recipients, u => $"returned:{approval.Id}:{u}", command.Comment);
            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Return), ct);
    }
}
