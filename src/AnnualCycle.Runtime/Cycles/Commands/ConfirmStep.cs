using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record ConfirmStepCommand(Guid StepId, string? Comment);

/// <summary>A meeting, milestone or decision completes when the body's contributor or the process owner confirms it took place.</summary>
public sealed class ConfirmStepHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle)
{
    public async Task<StepDto> HandleAsync(Actor actor, ConfirmStepCommand command, CancellationToken ct = default)
    {
        var comment = FreeText.Optional("comment", command.Comment);
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, command.StepId, ct);
            var authority = context.Require(actor, StepAction.Confirm);
            await lifecycle.ResolveAsync(work, context.Cycle, context.Step, StepAction.Confirm, authority.UserId, authority.OnBehalfOfUserId, comment, ct);
            return StepDto.From(context.Step, work.Now);
        }, StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Confirm), ct);
    }
}
