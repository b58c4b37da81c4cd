using AnnualCycle.Data;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record SkipStepCommand(Guid StepId, string? Reason);

/// <summary>The process owner skips a step that will not be done this year (mandatory reason). Its timers stop; its dependants may open.</summary>
public sealed class SkipStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public Task<StepDto> HandleAsync(Actor actor, SkipStepCommand command, CancellationToken ct = default) =>
        StepResolution.ResolveAsync(db, clock, lifecycle, actor, command.StepId, command.Reason, StepAction.Skip, ct);
}

/// <summary>Shared by skip and cancel: both end the step by the process owner's decision, with a reason.</summary>
internal static class StepResolution
{
    public static async Task<StepDto> ResolveAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Actor actor, Guid stepId, string? reason, StepAction action, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InputException("reason", "is required");
        }

        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var (step, cycle) = await lifecycle.LoadAsync(db, stepId, ct);
            var authority = StepAuthorization.RequireProcessOwner(actor, cycle.OrganisationId);
            StepTransitions.Ensure(step.Key, action, step.State);
            var from = step.State;
            step.State = StepTransitions.Target(action);
            step.Reason = reason;
            step.CompletedAtUtc = work.Now;
            StepLifecycle.Bump(step);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, step.State.ToString(), step, from.ToString(), step.State.ToString(), reason);
            await StepLifecycle.CancelPendingTimersAsync(db, step.Id, ct);
            // Skipped and cancelled steps no longer block what waits for them.
            await lifecycle.OpenReadyDependantsAsync(work, cycle, step.Key, ct);
            return StepDto.From(step, work.Now);
        }, StepLifecycle.ConflictReporter(db, stepId, action), ct);
    }
}
