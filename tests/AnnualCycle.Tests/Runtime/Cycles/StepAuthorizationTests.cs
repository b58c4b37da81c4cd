using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>Every role against every command, for the step's own body and for a body the actor does not belong to.</summary>
public sealed class StepAuthorizationTests
{
    private const string Org = "region-test";

    private static Actor With(string id, params (string? Body, string Role)[] grants) =>
        new(id, id, grants.Select(g => new RoleGrant(Org, g.Body, g.Role)).ToList(), []);

    private static readonly Actor ProcessOwner = With("po", (null, Roles.ProcessOwner));
    private static readonly Actor Administrator = With("admin", (null, Roles.Administrator));
    private static readonly Actor HsnContributor = With("hsn", ("HSN", Roles.Contributor));
    private static readonly Actor RunContributor = With("run", ("RUN", Roles.Contributor));
    private static readonly Actor HsfDirector = With("hsf-dir", ("HSF", "forvaltningsdirektor"));
    private static readonly Actor RufDirector = With("ruf-dir", ("RUF", "forvaltningsdirektor"));

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        var allowed = new Dictionary<string, string[]>
        {
            ["start/reschedule/skip/cancel/remind"] = ["po"],
            ["submit HSN"] = ["hsn"],
            ["confirm HSN"] = ["hsn", "po"],
            ["approve HSF director"] = ["hsf-dir"],
        };
        foreach (var (command, who) in allowed)
        {
            foreach (var actor in new[] { "po", "admin", "hsn", "run", "hsf-dir", "ruf-dir" })
            {
                data.Add(command, actor, who.Contains(actor));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Command_IsAllowed_OnlyForItsRoleInItsBody(string command, string actorId, bool allowed)
    {
        var actor = new[] { ProcessOwner, Administrator, HsnContributor, RunContributor, HsfDirector, RufDirector }.Single(a => a.UserId == actorId);
        Action check = command switch
        {
            "start/reschedule/skip/cancel/remind" => () => StepAuthorization.RequireProcessOwner(actor, Org),
            "submit HSN" => () => StepAuthorization.RequireContributor(actor, Org, "HSN"),
            "confirm HSN" => () => StepAuthorization.RequireConfirmer(actor, Org, "HSN"),
            "approve HSF director" => () => StepAuthorization.RequireApprover(actor, Org, "HSF", "forvaltningsdirektor", "hsn", null),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };

        if (allowed)
        {
            check();
        }
        else
        {
            Assert.Throws<ForbiddenActionException>(check);
        }
    }

    [Fact]
    public void Grant_InAnotherOrganisation_DoesNotCount()
    {
        var other = new Actor("x", "x", [new RoleGrant("region-other", "HSN", Roles.Contributor), new RoleGrant("region-other", null, Roles.ProcessOwner)], []);
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireContributor(other, Org, "HSN"));
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireProcessOwner(other, Org));
    }

    [Fact]
    public void Approve_IsForbidden_ForTheSubmitter_EvenWithTheApproverRole()
    {
        var both = With("dual", ("HSN", Roles.Contributor), ("HSF", "forvaltningsdirektor"));
        var error = Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireApprover(both, Org, "HSF", "forvaltningsdirektor", "dual", null));
        Assert.Contains("separation of duties", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deputy_ActsOnBehalfOfThePrincipal()
    {
        var deputy = new Actor("dep", "dep", [], [new DelegatedGrant(new RoleGrant(Org, "HSF", "forvaltningsdirektor"), "hsf-dir", "Director")]);
        var authority = StepAuthorization.RequireApprover(deputy, Org, "HSF", "forvaltningsdirektor", "hsn", null);
        Assert.Equal("dep", authority.UserId);
        Assert.Equal("hsf-dir", authority.OnBehalfOfUserId);
    }

    [Fact]
    public void Deputy_MayNotApprove_OnBehalfOfTheSubmitter()
    {
        var deputy = new Actor("dep", "dep", [], [new DelegatedGrant(new RoleGrant(Org, "HSF", "forvaltningsdirektor"), "hsf-dir", "Director")]);
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireApprover(deputy, Org, "HSF", "forvaltningsdirektor", "hsf-dir", null));
    }

    [Fact]
    public void Principal_MayNotApprove_WhatTheirDeputySubmittedForThem()
    {
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireApprover(HsfDirector, Org, "HSF", "forvaltningsdirektor", "someone", "hsf-dir"));
    }

    [Fact]
    public void OwnGrant_WinsOverDelegatedGrant()
    {
        var actor = new Actor("hsn", "hsn", [new RoleGrant(Org, "HSN", Roles.Contributor)], [new DelegatedGrant(new RoleGrant(Org, "HSN", Roles.Contributor), "other", "Other")]);
        Assert.Null(StepAuthorization.RequireContributor(actor, Org, "HSN").OnBehalfOfUserId);
    }

    [Fact]
    public void System_PassesNoCheck() =>
        Assert.Throws<ForbiddenActionException>(() => StepAuthorization.RequireProcessOwner(Actor.System, Org));
}
