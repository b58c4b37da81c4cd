using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Web.Ui;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>The step page shows a button only when the runtime's own rules would let the person act.</summary>
public sealed class StepPermissionsTests
{
    private const string Org = "region-vasterbotten";

    private static readonly Actor Contributor = new("hsn-h", "Handläggare", [new RoleGrant(Org, "HSN", Roles.Contributor)], []);
    private static readonly Actor Director = new("hsf-d", "Direktör", [new RoleGrant(Org, "HSF", "forvaltningsdirektor")], []);
    private static readonly Actor Owner = new("po", "Processägare", [new RoleGrant(Org, null, Roles.ProcessOwner)], []);
    private static readonly Actor Deputy = new("ruf-d", "Annan direktör", [], [new DelegatedGrant(new RoleGrant(Org, "HSF", "forvaltningsdirektor"), "hsf-d", "Direktör")]);

    [Fact]
    public void Decide_LetsTheBodysContributorSubmit_WhenOpened_AndNobodyElse()
    {
        var opened = Detail("Opened", "Task");
        Assert.True(StepPermissions.Decide(Contributor, Org, opened).Submit);
        Assert.False(StepPermissions.Decide(Director, Org, opened).Submit);
        Assert.False(StepPermissions.Decide(Contributor, Org, Detail("Submitted", "Task", submittedBy: "hsn-h")).Submit);
    }

    [Fact]
    public void Decide_LetsTheCurrentApproverDecide_ButNeverTheSubmitter()
    {
        var submitted = Detail("Submitted", "Task", submittedBy: "hsn-h");
        var director = StepPermissions.Decide(Director, Org, submitted);
        Assert.True(director.Approve && director.Return);
        Assert.True(StepPermissions.Decide(Deputy, Org, submitted).Approve);
        Assert.False(StepPermissions.Decide(Contributor, Org, submitted).Approve);

        // The director submitted it themselves (they also contribute): separation of duties hides the button.
        Assert.False(StepPermissions.Decide(Director, Org, Detail("Submitted", "Task", submittedBy: "hsf-d")).Approve);
    }

    [Fact]
    public void Decide_GivesProcessOwnerActions_OnlyToTheProcessOwner_AndOnlyWhileUnresolved()
    {
        var owner = StepPermissions.Decide(Owner, Org, Detail("Opened", "Task"));
        Assert.True(owner.Skip && owner.Cancel && owner.Reschedule && owner.Remind);
        Assert.False(owner.Submit);
        Assert.False(StepPermissions.Decide(Contributor, Org, Detail("Opened", "Task")).ProcessOwner);
        Assert.False(StepPermissions.Decide(Owner, Org, Detail("Completed", "Task")).Any);
        Assert.True(StepPermissions.Decide(Owner, Org, Detail("Opened", "Milestone")).Confirm);
    }

    private static StepDetailDto Detail(string state, string kind, string? submittedBy = null)
    {
        var step = new StepDto(Guid.NewGuid(), Guid.NewGuid(), "verksamhetsplan:HSN", "verksamhetsplan", "Verksamhetsplan", kind, "HSN", null, "budget", null,
            new DateTime(2026, 10, 1, 6, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 30, 22, 59, 0, DateTimeKind.Utc), false, state, false, [],
            submittedBy, null, submittedBy is null ? null : new DateTime(2026, 11, 23, 8, 0, 0, DateTimeKind.Utc), null, null, 0, null, 1, 1);
        var approval = new ApprovalDto(Guid.NewGuid(), 1, 1, "HSF", "forvaltningsdirektor", "Förvaltningsdirektör", "Pending", null, null, null, null);
        return new StepDetailDto(step, [approval], []);
    }
}
