using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Runtime.Cycles.Commands;

/// <summary>
/// How a command on one step runs: in one unit of work (<see cref="EngineWork"/>) with the step, its cycle and its round
/// loaded; a lost race reported as the step is now (409). The handlers differ only in what they do inside.
/// </summary>
internal static class StepCommand
{
    public static Task<StepDto> RunAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Guid stepId, StepAction action, Func<EngineWork, StepContext, Task> body, CancellationToken ct) =>
        EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, stepId, ct);
            await body(work, context);
            return StepDto.From(context.Step, work.Now);
        }, StepLifecycle.ConflictReporter(db, stepId, action), ct);

    /// <summary>
    /// The current approver's decision (approve or return), checked by the one rule (<see cref="StepCapabilities"/>)
    /// and recorded on the round's current approval; <paramref name="then"/> moves the step on.
    /// </summary>
    public static Task<StepDto> DecideAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Actor actor, Guid stepId, StepAction action, string? comment,
        Func<EngineWork, StepContext, StepAuthorization.Authority, ApprovalInstanceEntity, Task> then, CancellationToken ct) =>
        RunAsync(db, clock, lifecycle, stepId, action, async (work, context) =>
        {
            var (authority, approval) = await StepLifecycle.RequireDecisionAsync(db, context, actor, action);
            approval.State = action == StepAction.Approve ? ApprovalState.Approved : ApprovalState.Returned;
            approval.DecidedByUserId = authority.UserId;
            approval.OnBehalfOfUserId = authority.OnBehalfOfUserId;
            approval.DecidedAtUtc = work.Now;
            approval.Comment = comment;
            await then(work, context, authority, approval);
        }, ct);
}
