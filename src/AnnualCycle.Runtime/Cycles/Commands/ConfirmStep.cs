using AnnualCycle.Data;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record ConfirmStepCommand(Guid StepId, string? Comment);

/// <summary>A meeting, milestone or decision completes when the body's contributor or the process owner confirms it took place.</summary>
public sealed class ConfirmStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, ConfirmStepCommand command, CancellationToken ct = default) =>
        await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, command.StepId, ct);
            if (step.Kind is not (StepKind.Meeting or StepKind.Milestone or StepKind.Decision))
            {
                throw new IllegalTransitionException($"Step {step.Key}", step.State.ToString(), "Completed", $"a {step.Kind} is submitted, not confirmed");
            }

            var authority = StepAuthorization.RequireConfirmer(actor, cycle.OrganisationId, step.BodyId);
            StepTransitions.Ensure(step.Key, StepAction.Confirm, step.State);
            step.Comment = command.Comment;
            await lifecycle.CompleteAsync(work, cycle, step, actor.UserId, authority.OnBehalfOfUserId, "Confirmed", command.Comment, ct);
            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Confirm), ct);
}
