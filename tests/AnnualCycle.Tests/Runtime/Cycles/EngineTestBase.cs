using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>Shared moves of the engine tests: start the test cycle, find steps, do a step's work as the right people.</summary>
public abstract class EngineTestBase
{
    protected static readonly Dictionary<string, string[]> ContributorsOf = new()
    {
        ["ES"] = [EsContributor],
        ["RS"] = [RsContributor],
        ["HSN"] = [HsnContributor, HsnContributor2],
        ["RUN"] = [RunContributor],
    };

    protected static readonly Dictionary<(string Body, string Role), string> ApproverOf = new()
    {
        [("HSF", "forvaltningsdirektor")] = HsfDirector,
        [("RUF", "forvaltningsdirektor")] = RufDirector,
        [("HSN", "namnd")] = HsnCommittee,
        [("RUN", "namnd")] = RunCommittee,
    };

    protected abstract Task<EngineHarness> CreateHarnessAsync();

    protected static async Task<CycleSummaryDto> StartAsync(EngineHarness h, int year = 2027)
    {
        var po = await h.ActorAsync(ProcessOwner);
        return await h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x => x.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, year)));
    }

    protected static Task<StepInstanceEntity> StepAsync(EngineHarness h, string key) =>
        h.DbAsync(db => db.StepInstances.AsNoTracking().SingleAsync(s => s.Key == key));

    protected static async Task<StepDto> SubmitAsync(EngineHarness h, StepInstanceEntity step, string? user = null)
    {
        var actor = await h.ActorAsync(user ?? ContributorsOf[step.BodyId][0]);
        return await h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(actor, new SubmitStepCommand(step.Id, "https://docs.test/" + step.Key, "klart")));
    }

    protected static async Task<StepDto> ApproveCurrentAsync(EngineHarness h, Guid stepId)
    {
        var approval = await h.DbAsync(async db =>
        {
            var step = await db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == stepId);
            return await db.Approvals.AsNoTracking().Where(a => a.StepInstanceId == stepId && a.Round == step.Round && a.State == ApprovalState.Pending).OrderBy(a => a.Order).FirstAsync();
        });
        var actor = await h.ActorAsync(ApproverOf[(approval.BodyId, approval.Role)]);
        var command = await ApproveCommandAsync(h, stepId, "ok");
        return await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(actor, command));
    }

    /// <summary>Approve with the comment, and with the meeting date and § when the current approval is the nämnd's decision.</summary>
    protected static async Task<ApproveStepCommand> ApproveCommandAsync(EngineHarness h, Guid stepId, string? comment)
    {
        var role = await h.DbAsync(async db =>
        {
            var step = await db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == stepId);
            return await db.Approvals.AsNoTracking().Where(a => a.StepInstanceId == stepId && a.Round == step.Round && a.State == ApprovalState.Pending)
                .OrderBy(a => a.Order).Select(a => a.Role).FirstOrDefaultAsync();
        });
        var (date, paragraph) = MeetingDecisions.ForApproval(role ?? "", h.Clock);
        return new ApproveStepCommand(stepId, comment, date, paragraph);
    }

    /// <summary>Submits (or confirms) and approves the whole chain.</summary>
    protected static async Task CompleteAsync(EngineHarness h, StepInstanceEntity step)
    {
        if (step.Kind != StepKind.Task)
        {
            var actor = await h.ActorAsync(ContributorsOf[step.BodyId][0]);
            var (date, paragraph) = MeetingDecisions.ForConfirm(step.Kind, h.Clock);
            await h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(actor, new ConfirmStepCommand(step.Id, "hölls", date, paragraph)));
            return;
        }

        var dto = await SubmitAsync(h, step);
        while (dto.State == nameof(StepState.Submitted))
        {
            dto = await ApproveCurrentAsync(h, step.Id);
        }

        Assert.Equal(nameof(StepState.Completed), dto.State);
    }

    /// <summary>Moves the fake clock to <paramref name="at"/> (never backwards) and fires what is due.</summary>
    protected static async Task<int> AdvanceToAsync(EngineHarness h, DateTimeOffset at)
    {
        if (at > h.Clock.GetUtcNow())
        {
            h.Clock.SetUtcNow(at);
        }

        return await h.RunDueAsync();
    }
}
