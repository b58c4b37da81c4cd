using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Arshjul;

public class ArshjulModelBuilderTests
{
    private static readonly Organisation Region = new(
        "vb", "Region Västerbotten", "Europe/Stockholm",
        [
            new Body("HSN", "Hälso- och sjukvårdsnämnden", BodyKind.Committee, null, []),
            new Body("EKO", "Ekonomistaben", BodyKind.Staff, null, []),
            new Body("RS", "Regionstyrelsen", BodyKind.Board, null, []),
            new Body("HSF", "Hälso- och sjukvårdsförvaltningen", BodyKind.Administration, "HSN", []),
            new Body("RF", "Regionfullmäktige", BodyKind.Assembly, null, []),
            new Body("PN", "Patientnämnden", BodyKind.Committee, null, []),
        ],
        [
            new MeetingDate("RF", new DateOnly(2026, 11, 24), null, false, null),
            new MeetingDate("RF", new DateOnly(2027, 2, 16), null, true, null),
            new MeetingDate("EKO", new DateOnly(2026, 3, 1), null, true, null),
        ]);

    private static ArshjulStepInput Step(string key, string body, DateOnly opens, DateOnly due, StepState state) =>
        new(new PlannedStep(key, key, key, StepKind.Task, body, null, null, "planering",
                StockholmTime.Default.ToInstant(opens, new TimeOnly(8, 0)), StockholmTime.Default.DeadlineInstant(due),
                false, [], [], [], [], [], null),
            2027, state, $"/steps/{key}");

    [Fact]
    public void Rings_PutsRegionfullmaktigeOutermost_ThenRegionstyrelsen_ThenEachNamnd()
    {
        var rings = ArshjulModelBuilder.Rings(Region);

        Assert.Equal(["RF", "RS", "HSN", "PN"], rings.Select(r => r.BodyId));
        Assert.Equal([0, 1, 2, 3], rings.Select(r => r.Order));
    }

    [Fact]
    public void Build_TakesLocalDates_AndDrawsAStaffStep_InItsOwnRing_AndAForvaltningsStep_OnItsNamnd()
    {
        var model = ArshjulModelBuilder.Build(Region, 2026, new DateOnly(2026, 11, 23),
        [
            Step("pf", "EKO", new DateOnly(2026, 1, 12), new DateOnly(2026, 5, 15), StepState.Completed),
            Step("vp", "HSF", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 18), StepState.Opened),
        ], StockholmTime.Default);

        var pf = model.Arcs.Single(a => a.StepKey == "pf");
        // Ekonomistaben does the step: its own ring, innermost (issue 15: not regionstyrelsen's).
        Assert.Equal("EKO", pf.BodyId);
        Assert.Equal(["RF", "RS", "HSN", "PN", "EKO"], model.Rings.Select(r => r.BodyId));
        // Due 23:59 local on 15 May is 21:59 UTC: the wheel must show the local date, not the UTC one.
        Assert.Equal(new DateOnly(2026, 5, 15), pf.Due);
        Assert.Equal("HSN", model.Arcs.Single(a => a.StepKey == "vp").BodyId);
        Assert.DoesNotContain(model.Rings, r => r.BodyId == "HSF");
    }

    [Fact]
    public void Build_DerivesOverdue_FromTodayAndState()
    {
        var model = ArshjulModelBuilder.Build(Region, 2026, new DateOnly(2026, 11, 23),
        [
            Step("late", "PN", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 16), StepState.Returned),
            Step("done", "PN", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 16), StepState.Completed),
            Step("today", "PN", new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 23), StepState.Opened),
        ], StockholmTime.Default);

        Assert.True(model.Arcs.Single(a => a.StepKey == "late").Overdue);
        Assert.False(model.Arcs.Single(a => a.StepKey == "done").Overdue);
        Assert.False(model.Arcs.Single(a => a.StepKey == "today").Overdue);
    }

    [Fact]
    public void Build_KeepsMeetingsOfTheYear_OnRings_AndTodayOnlyWithinTheYear()
    {
        var inYear = ArshjulModelBuilder.Build(Region, 2026, new DateOnly(2026, 11, 23), [], StockholmTime.Default);
        var otherYear = ArshjulModelBuilder.Build(Region, 2027, new DateOnly(2026, 11, 23), [], StockholmTime.Default);

        var meeting = Assert.Single(inYear.Meetings);
        Assert.Equal(new ArshjulMark("RF", new DateOnly(2026, 11, 24), "Regionfullmäktige"), meeting);
        Assert.Equal(new DateOnly(2026, 11, 23), inYear.Today);
        Assert.Null(otherYear.Today);
        Assert.Equal("Region Västerbotten", inYear.Title);
    }
}
