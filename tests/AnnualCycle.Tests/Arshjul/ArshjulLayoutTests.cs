using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Tests.Arshjul.ArshjulTestModels;

namespace AnnualCycle.Tests.Arshjul;

public class ArshjulLayoutTests
{
    [Fact]
    public void Clip_EndsOnNewYearsEve_AndMarksContinuing_WhenTheArcIsDueNextYear()
    {
        var clipped = ArshjulLayout.Clip(Arc("bokslut", "RS", new DateOnly(2026, 12, 14), new DateOnly(2027, 2, 15)), 2026);

        Assert.NotNull(clipped);
        Assert.Equal(new DateOnly(2026, 12, 14), clipped.From);
        Assert.Equal(new DateOnly(2026, 12, 31), clipped.To);
        Assert.True(clipped.ContinuesAfter);
        Assert.False(clipped.ContinuesBefore);
    }

    [Fact]
    public void Clip_StartsOnFirstOfJanuary_AndMarksContinuing_WhenTheArcOpenedLastYear()
    {
        var clipped = ArshjulLayout.Clip(Arc("vp", "HSN", new DateOnly(2025, 10, 1), new DateOnly(2026, 1, 16)), 2026);

        Assert.NotNull(clipped);
        Assert.Equal(new DateOnly(2026, 1, 1), clipped.From);
        Assert.True(clipped.ContinuesBefore);
        Assert.False(clipped.ContinuesAfter);
    }

    [Fact]
    public void Clip_ReturnsNull_WhenTheArcIsWhollyInAnotherYear()
    {
        Assert.Null(ArshjulLayout.Clip(Arc("old", "RS", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)), 2026));
        Assert.Null(ArshjulLayout.Clip(Arc("new", "RS", new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 2)), 2026));
    }

    [Fact]
    public void Arrange_ClipsAngles_ToTheYear_ForAnArcSpanningIntoNextYear()
    {
        var model = Model(2026, null, Arc("bokslut", "RS", new DateOnly(2026, 12, 14), new DateOnly(2027, 2, 15)));

        var arc = Assert.Single(ArshjulLayout.Arrange(model).Arcs);

        Assert.Equal(WheelGeometry.DayStartAngle(new DateOnly(2026, 12, 14), 2026), arc.StartAngle, 9);
        Assert.Equal(360, arc.EndAngle, 9);
    }

    [Fact]
    public void Arrange_PutsOverlappingArcsOfOneRing_InDifferentLanes()
    {
        var model = Model(2026, null,
            Arc("a", "HSN", new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 18)),
            Arc("b", "HSN", new DateOnly(2026, 11, 25), new DateOnly(2026, 12, 15)),
            Arc("c", "HSN", new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 10)));

        var lanes = ArshjulLayout.Arrange(model).Arcs.ToDictionary(a => a.Arc.StepKey, a => a.Lane);

        Assert.Equal(3, lanes.Values.Distinct().Count());
        var band = ArshjulLayout.Arrange(model).Rings.Single(r => r.Ring.BodyId == "HSN");
        Assert.Equal(3, band.LaneCount);
    }

    [Fact]
    public void Arrange_ReusesALane_WhenArcsDoNotOverlap()
    {
        var model = Model(2026, null,
            Arc("a", "RS", new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 12)),
            Arc("b", "RS", new DateOnly(2026, 4, 1), new DateOnly(2026, 4, 13)));

        Assert.All(ArshjulLayout.Arrange(model).Arcs, a => Assert.Equal(0, a.Lane));
    }

    [Fact]
    public void Arrange_KeepsOverlappingArcs_RadiallyApart()
    {
        var model = Model(2026, null,
            Arc("a", "RF", new DateOnly(2026, 1, 5), new DateOnly(2026, 5, 1)),
            Arc("b", "RF", new DateOnly(2026, 2, 1), new DateOnly(2026, 3, 1)));

        var arcs = ArshjulLayout.Arrange(model).Arcs.OrderBy(a => a.Lane).ToList();

        Assert.True(arcs[1].Outer <= arcs[0].Inner, "the second lane must lie wholly inside the first");
    }

    [Fact]
    public void Arrange_OrdersRings_ByOrder_OutermostFirst_AndNests_Them()
    {
        var rings = ArshjulLayout.Arrange(Model(2026, null)).Rings;

        Assert.Equal(["RF", "RS", "HSN"], rings.Select(r => r.Ring.BodyId));
        Assert.True(rings[0].Inner > rings[1].Outer);
        Assert.True(rings[1].Inner > rings[2].Outer);
    }

    [Fact]
    public void Arrange_LeavesOut_ArcsOfABodyWithoutARing()
    {
        var model = Model(2026, null, Arc("x", "NOPE", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 5)));

        Assert.Empty(ArshjulLayout.Arrange(model).Arcs);
    }

    [Fact]
    public void Arrange_PutsTheNeedle_AtNoonOfToday_AndNowhere_WhenTodayIsInAnotherYear()
    {
        var today = new DateOnly(2026, 11, 23);

        Assert.Equal(WheelGeometry.NoonAngle(today, 2026), ArshjulLayout.Arrange(Model(2026, today)).NeedleAngle);
        Assert.Null(ArshjulLayout.Arrange(Model(2026, null)).NeedleAngle);
        Assert.Null(ArshjulLayout.Arrange(Model(2026, new DateOnly(2027, 1, 4))).NeedleAngle);
    }

    [Fact]
    public void Arrange_DrawsAnArcDueBeforeItOpens_AsItsDueDay()
    {
        var model = Model(2026, null, Arc("odd", "RS", new DateOnly(2026, 5, 10), new DateOnly(2026, 5, 2)));

        var arc = Assert.Single(ArshjulLayout.Arrange(model).Arcs);

        Assert.Equal(WheelGeometry.DayStartAngle(new DateOnly(2026, 5, 2), 2026), arc.StartAngle, 9);
        Assert.Equal(WheelGeometry.DayEndAngle(new DateOnly(2026, 5, 2), 2026), arc.EndAngle, 9);
    }

    [Fact]
    public void Arrange_FitsTwelveCrowdedRings_BetweenTheHubAndTheMonths()
    {
        var rings = Enumerable.Range(0, 12).Select(i => new ArshjulRing($"N{i}", $"Nämnd {i}", i)).ToList();
        var arcs = rings.SelectMany(r => Enumerable.Range(0, 3).Select(k =>
            Arc($"{r.BodyId}-{k}", r.BodyId, new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20)))).ToArray();
        var layout = ArshjulLayout.Arrange(new ArshjulModel(2026, null, "Many", rings, arcs, []));

        Assert.Equal(12, layout.Rings.Count);
        Assert.True(layout.Rings[^1].Inner >= ArshjulLayout.HubRadius, $"innermost ring ends at {layout.Rings[^1].Inner}");
        Assert.All(layout.Arcs, a => Assert.True(a.Outer > a.Inner));
    }
}
