using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>The one capability rule, pure: every role against every action, organisation, kind, state and separation of duties.</summary>
public sealed class StepCapabilitiesTests
{
    private const string Org = "region-test";

    private static Actor With(string id, params (string? Body, string Role)[] grants) =>
        new(id, id, grants.Select(g => new RoleGrant(Org, g.Body, g.Role)).ToList(), []);

    private static Actor Deputy(string id, string principal, string? body, string role) =>
        new(id, id, [], [new DelegatedGrant(new RoleGrant(Org, body, role), principal, principal)]);

    private static readonly Actor ProcessOwner = With("po", (null, Roles.ProcessOwner));
    private static readonly Actor Administrator = With("admin", (null, Roles.Administrator));
    private static readonly Actor HsnContributor = With("hsn", ("HSN", Roles.Contributor));
    private static readonly Actor RunContributor = With("run", ("RUN", Roles.Contributor));
    private static readonly Actor HsfDirector = With("hsf-dir", ("HSF", "forvaltningsdirektor"));
    private static readonly Actor RufDirector = With("ruf-dir", ("RUF", "forvaltningsdirektor"));
    private static readonly Actor[] Everyone = [ProcessOwner, Administrator, HsnContributor, RunContributor, HsfDirector, RufDirector];

    /// <summary>Who may, for a task of HSN in the state named (approved by the förvaltningsdirektör of HSF, then the nämnd).</summary>
    public static TheoryData<StepAction, StepState, string> Matrix()
    {
        var allowed = new (StepAction Action, StepState State, string[] Who)[]
        {
            (StepAction.Submit, StepState.Opened, ["hsn"]),
            (StepAction.Submit, StepState.Returned, ["hsn"]),
            (StepAction.Upload, StepState.Opened, ["hsn"]),
            (StepAction.Upload, StepState.Returned, ["hsn"]),
            (StepAction.Approve, StepState.Submitted, ["hsf-dir"]),
            (StepAction.Return, StepState.Submitted, ["hsf-dir"]),
            (StepAction.Skip, StepState.Opened, ["po"]),
            (StepAction.Cancel, StepState.Submitted, ["po"]),
            (StepAction.Reschedule, StepState.Planned, ["po"]),
            (StepAction.Remind, StepState.Opened, ["po"]),
            (StepAction.Remind, StepState.Returned, ["po"]),
            (StepAction.Submit, StepState.Submitted, []),
            (StepAction.Approve, StepState.Opened, []),
            (StepAction.Remind, StepState.Submitted, []),
            (StepAction.Skip, StepState.Completed, []),
            (StepAction.Confirm, StepState.Opened, []),
        };
        var data = new TheoryData<StepAction, StepState, string>();
        foreach (var (action, state, who) in allowed)
        {
            data.Add(action, state, string.Join(',', who));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Action_IsAllowed_OnlyForItsRole_InItsBody_FromItsStates(StepAction action, StepState state, string who)
    {
        var (step, approvals) = Task(state);
        foreach (var actor in Everyone)
        {
            var capability = StepCapabilities.For(actor, Org, step, approvals).Of(action);
            Assert.True(who.Split(',').Contains(actor.UserId) == capability.Allowed, $"{actor.UserId} {action} from {state}: {capability.Reason}");
            if (!capability.Allowed)
            {
                Assert.NotNull(capability.Refusal);
                Assert.False(string.IsNullOrWhiteSpace(capability.Reason));
            }
        }
    }

    [Fact]
    public void Refusals_NameTheirReason_AndTheGuardThrowsTheMatchingError()
    {
        var (step, approvals) = Task(StepState.Opened);
        var director = StepCapabilities.For(HsfDirector, Org, step, approvals);
        Assert.Equal((Refusal.NotPermitted, "Only a contributor of HSN may submit this step."), (director.Submit.Refusal, director.Submit.Reason));
        Assert.Throws<ForbiddenActionException>(() => director.Require(StepAction.Submit, HsfDirector));

        var owner = StepCapabilities.For(ProcessOwner, Org, step, approvals);
        Assert.Equal(Refusal.WrongState, owner.Approve.Refusal);
        Assert.Throws<IllegalTransitionException>(() => owner.Require(StepAction.Approve, ProcessOwner));
        Assert.Equal("po", owner.Require(StepAction.Skip, ProcessOwner).UserId);
    }

    [Fact]
    public void Grant_InAnotherOrganisation_DoesNothing_AndTheStepIsNotShownToExist()
    {
        var (step, approvals) = Task(StepState.Opened);
        var other = new Actor("x", "x", [new RoleGrant("region-other", "HSN", Roles.Contributor), new RoleGrant("region-other", null, Roles.ProcessOwner)], []);
        var can = StepCapabilities.For(other, Org, step, approvals);
        Assert.All(StepCapabilities.PersonActions, a => Assert.Equal(Refusal.NotVisible, can.Of(a).Refusal));
        Assert.False(can.Any);
        Assert.Throws<NotFoundException>(() => can.Require(StepAction.Submit, other));
    }

    [Fact]
    public void Meeting_IsConfirmed_ByContributorOrProcessOwner_AndNeverSubmitted()
    {
        var meeting = StepTransitionsTests.Reach(StepState.Opened, StepKind.Meeting, new StepTransitionsTests.Recorder())!;
        var contributor = StepCapabilities.For(HsnContributor, Org, meeting, []);
        Assert.Equal((true, Roles.Contributor), (contributor.Confirm.Allowed, contributor.Confirm.Role));
        Assert.Equal(Refusal.WrongKind, contributor.Submit.Refusal);
        Assert.Equal(Refusal.WrongKind, contributor.Upload.Refusal);
        Assert.Throws<IllegalTransitionException>(() => contributor.Require(StepAction.Submit, HsnContributor));
        Assert.Equal((true, Roles.ProcessOwner), (StepCapabilities.For(ProcessOwner, Org, meeting, []).Confirm.Allowed, StepCapabilities.For(ProcessOwner, Org, meeting, []).Confirm.Role));
        Assert.False(StepCapabilities.For(RunContributor, Org, meeting, []).Confirm.Allowed);
    }

    [Fact]
    public void Submitter_MayNotDecide_EvenWithTheApproverRole()
    {
        var dual = With("dual", ("HSN", Roles.Contributor), ("HSF", "forvaltningsdirektor"));
        var (step, approvals) = Task(StepState.Submitted, submitter: "dual");
        var can = StepCapabilities.For(dual, Org, step, approvals);
        Assert.Equal(Refusal.SeparationOfDuties, can.Approve.Refusal);
        Assert.Contains("separation of duties", can.Return.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Deputy_DecidesOnBehalfOfThePrincipal_ButNotForTheSubmitter()
    {
        var deputy = Deputy("dep", "hsf-dir", "HSF", "forvaltningsdirektor");
        var (step, approvals) = Task(StepState.Submitted);
        var can = StepCapabilities.For(deputy, Org, step, approvals);
        Assert.Equal((true, "hsf-dir", approvals[0].Id), (can.Approve.Allowed, can.Approve.OnBehalfOfUserId, can.Approve.ApprovalId));

        var (forSubmitter, chain) = Task(StepState.Submitted, submitter: "hsf-dir");
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(deputy, Org, forSubmitter, chain).Approve.Refusal);
        var (byDeputy, chain2) = Task(StepState.Submitted, submitter: "someone", onBehalfOf: "hsf-dir");
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(HsfDirector, Org, byDeputy, chain2).Approve.Refusal);
    }

    [Fact]
    public void SecondSignature_OfOneRound_IsRefused_InEveryCapacity()
    {
        // Level 1 signed by the director in their own right; level 2 (the nämnd of HSN) is current.
        var (step, approvals) = Task(StepState.Submitted);
        Decide(approvals[0], "hsf-dir", null);
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(Deputy("hsf-dir", "namnd-1", "HSN", Roles.Committee), Org, step, approvals).Approve.Refusal);
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(With("hsf-dir", ("HSN", Roles.Committee)), Org, step, approvals).Approve.Refusal);
        Assert.True(StepCapabilities.For(With("namnd-1", ("HSN", Roles.Committee)), Org, step, approvals).Approve.Allowed);

        // Level 1 signed by a deputy for the director: neither of them signs level 2.
        Decide(approvals[0], "dep", "hsf-dir");
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(With("hsf-dir", ("HSN", Roles.Committee)), Org, step, approvals).Approve.Refusal);
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(With("dep", ("HSN", Roles.Committee)), Org, step, approvals).Approve.Refusal);
        Assert.Equal(Refusal.SeparationOfDuties, StepCapabilities.For(Deputy("x", "dep", "HSN", Roles.Committee), Org, step, approvals).Approve.Refusal);
    }

    [Fact]
    public void Deputy_WithSeveralPrincipals_UsesOneThatKeepsTheChainClean()
    {
        var (step, approvals) = Task(StepState.Submitted);
        Decide(approvals[0], "hsf-dir", null);
        var deputy = new Actor("dep", "dep", [],
        [
            new DelegatedGrant(new RoleGrant(Org, "HSN", Roles.Committee), "hsf-dir", "Direktören"),
            new DelegatedGrant(new RoleGrant(Org, "HSN", Roles.Committee), "namnd-1", "Ordföranden"),
        ]);
        var can = StepCapabilities.For(deputy, Org, step, approvals);
        Assert.Equal((true, "namnd-1"), (can.Approve.Allowed, can.Approve.OnBehalfOfUserId));
    }

    [Fact]
    public void OwnGrant_WinsOverDelegatedGrant()
    {
        var actor = new Actor("hsn", "hsn", [new RoleGrant(Org, "HSN", Roles.Contributor)], [new DelegatedGrant(new RoleGrant(Org, "HSN", Roles.Contributor), "other", "Other")]);
        var (step, approvals) = Task(StepState.Opened);
        Assert.Null(StepCapabilities.For(actor, Org, step, approvals).Submit.OnBehalfOfUserId);
    }

    [Fact]
    public void Administrator_AndTheSystem_HaveNoStepPowers()
    {
        var (step, approvals) = Task(StepState.Opened);
        Assert.False(StepCapabilities.For(Administrator, Org, step, approvals).Any);
        Assert.False(StepCapabilities.For(Actor.System, Org, step, approvals).Any);
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireProcessOwner(Actor.System, Org));
    }

    /// <summary>A task of HSN in the state, with its chain of the current round: förvaltningsdirektör of HSF, then the nämnd of HSN.</summary>
    private static (StepInstanceEntity Step, List<ApprovalInstanceEntity> Approvals) Task(StepState state, string submitter = "hsn", string? onBehalfOf = null)
    {
        var journal = new StepTransitionsTests.Recorder();
        var step = new StepInstanceEntity { Id = Guid.NewGuid(), Key = "namndplan/HSN", StepId = "namndplan", Title = "Nämndplan", Kind = StepKind.Task, BodyId = "HSN", Phase = "budget" };
        StepAction[] path = state switch
        {
            StepState.Opened => [StepAction.Open],
            StepState.Submitted => [StepAction.Open, StepAction.Submit],
            StepState.Returned => [StepAction.Open, StepAction.Submit, StepAction.Return],
            StepState.Completed => [StepAction.Open, StepAction.Submit, StepAction.Complete],
            _ => [],
        };
        foreach (var action in path)
        {
            step.Apply(action, action == StepAction.Submit ? submitter : "system", action == StepAction.Submit ? onBehalfOf : null, null, journal);
        }

        Assert.Equal(state, step.State);
        var approvals = new List<ApprovalInstanceEntity>
        {
            new() { Id = Guid.NewGuid(), StepInstanceId = step.Id, Round = step.Round, Order = 1, BodyId = "HSF", Role = "forvaltningsdirektor", Title = "Förvaltningsdirektör" },
            new() { Id = Guid.NewGuid(), StepInstanceId = step.Id, Round = step.Round, Order = 2, BodyId = "HSN", Role = Roles.Committee, Title = "Nämnden" },
        };
        return (step, approvals);
    }

    private static void Decide(ApprovalInstanceEntity approval, string by, string? onBehalfOf) =>
        approval.Decide(ApprovalState.Approved, new Attribution(by, onBehalfOf, new DateTime(2027, 3, 1, 12, 0, 0, DateTimeKind.Utc)), null, null);
}
