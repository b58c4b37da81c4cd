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
    public static Task<StepDto> ResolveAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Actor actor, Guid stepId, string? reason, StepAction action, CancellationToken ct)
    {
        var given = FreeText.Required("reason", reason);
        return StepCommand.RunAsync(db, clock, lifecycle, stepId, action, async (work, context) =>
        {
            var authority = context.Require(actor, action);
            // Skipped and cancelled steps no longer block what waits for them.
            await lifecycle.ResolveAsync(work, context.Cycle, context.Step, action, authority.UserId, authority.OnBehalfOfUserId, given, ct);
        }, ct);
    }
}
