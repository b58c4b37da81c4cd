using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.People;
using AnnualCycle.Tests.Runtime.Cycles;

namespace AnnualCycle.Tests.Data;

/// <summary>A signature of a step's chain changes only through its own methods: pending when made, then decided once.</summary>
public sealed class ApprovalInstanceEntityTests
{
    private static readonly DateTime At = new(2026, 12, 9, 14, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Decide_RecordsTheOutcome_WhoDecidedForWhomAndWhen_TheComment_AndTheMeetingDecision()
    {
        var approval = ApprovalInstanceEntity.Pending(Step(), new PlannedApproval(2, "HSN", Roles.Committee, "Nämnden"));
        Assert.Equal(ApprovalState.Pending, approval.State);

        approval.Decide(ApprovalState.Approved, new Attribution("u-deputy", "u-chair", At), "Beslutad", new MeetingDecision(new DateOnly(2026, 12, 9), "§ 123"));

        Assert.Equal(
            (ApprovalState.Approved, "u-deputy", "u-chair", At, "Beslutad", new DateOnly(2026, 12, 9), "§ 123"),
            (approval.State, approval.DecidedByUserId, approval.OnBehalfOfUserId, approval.DecidedAtUtc, approval.Comment, approval.MeetingDate, approval.Paragraph));
        Assert.Equal(new PlannedApproval(2, "HSN", Roles.Committee, "Nämnden"), approval.Signature());
    }

    [Fact]
    public void Decide_AReturn_InTheApproversOwnRight_RecordsNoPrincipalAndNoMeeting()
    {
        var approval = ApprovalInstanceEntity.Pending(Step(), new PlannedApproval(1, "HSF", "forvaltningsdirektor", "Förvaltningsdirektör"));

        approval.Decide(ApprovalState.Returned, new Attribution("u-director", null, At), "Komplettera budgeten", null);

        Assert.Equal(
            (ApprovalState.Returned, "u-director", (string?)null, At, "Komplettera budgeten", (DateOnly?)null, (string?)null),
            (approval.State, approval.DecidedByUserId, approval.OnBehalfOfUserId, approval.DecidedAtUtc, approval.Comment, approval.MeetingDate, approval.Paragraph));
    }

    [Fact]
    public void CopySubmitter_TakesTheStepsSubmitter_AndThePrincipalTheySubmittedFor()
    {
        var step = Step();
        var journal = new StepTransitionsTests.Recorder();
        step.Apply(StepAction.Open, "system", null, null, journal);
        step.Apply(StepAction.Submit, "u-deputy", "u-handlaggare", "Klar", journal);
        var approval = ApprovalInstanceEntity.Pending(step, new PlannedApproval(1, "HSF", "forvaltningsdirektor", "Förvaltningsdirektör"));

        approval.CopySubmitter(step);

        Assert.Equal(("u-deputy", "u-handlaggare"), (approval.SubmittedByUserId, approval.SubmittedOnBehalfOfUserId));
        Assert.Equal((step.Id, step.Round), (approval.StepInstanceId, approval.Round));
    }

    private static StepInstanceEntity Step() =>
        new() { Id = Guid.NewGuid(), Key = "namndplan/HSN", StepId = "namndplan", Title = "Nämndplan", Kind = StepKind.Task, BodyId = "HSN", Phase = "budget" };
}
