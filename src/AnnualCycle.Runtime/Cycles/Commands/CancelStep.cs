namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record CancelStepCommand(Guid StepId, string? Reason);

/// <summary>The process owner cancels a step (mandatory reason). Its timers stop; its dependants may open.</summary>
public sealed class CancelStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public Task<StepDto> HandleAsync(Actor actor, CancelStepCommand command, CancellationToken ct = default) =>
        StepResolution.ResolveAsync(db, clock, lifecycle, actor, command.StepId, command.Reason, StepAction.Cancel, ct);
}
