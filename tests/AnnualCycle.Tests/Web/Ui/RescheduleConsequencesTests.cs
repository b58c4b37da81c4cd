using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Ui;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>
/// The reschedule preview explains itself (issue 15): moving the statutory budget decision from 24 Nov to 15 Dec 2026
/// leaves "Nämndplan beslutas" opening after its deadline, and a deadline can land on juldagen; each is said in words.
/// </summary>
public sealed class RescheduleConsequencesTests
{
    private static readonly Dates Dates = new(TestZone.Stockholm);

    private static DateTime Utc(int month, int day, int hour = 12) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(2026, month, day, hour, 0, 0, DateTimeKind.Unspecified), TestZone.Stockholm.Zone);

    private static StepDto Step(string key, string title, string body, DateTime opens, DateTime due, bool statutory = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), key, key.Split('/')[0], title, "Task", body, null, "budget", null, opens, due, statutory, "Planned", false, [], null, null, null, null, null, 0, null, 0, 0);

    [Fact]
    public void Preview_NamesEachStepByTitleAndBody_AndWarnsWithTheReason()
    {
        var steps = new Dictionary<string, StepDto>
        {
            ["regionplan-beslut"] = Step("regionplan-beslut", "Regionfullmäktige beslutar regionplan", "RF", Utc(11, 10), Utc(11, 24), statutory: true),
            ["namndplan/HSN"] = Step("namndplan/HSN", "Nämndplan beslutas", "HSN", Utc(11, 25), Utc(12, 9)),
        };
        var moved = new List<MovedDateDto>
        {
            new("regionplan-beslut", "due", Utc(11, 24), Utc(12, 25)),
            new("namndplan/HSN", "opens", Utc(11, 25), Utc(12, 16)),
        };

        var explained = RescheduleConsequences.Steps(moved, steps, body => body == "HSN" ? "Hälso- och sjukvårdsnämnden" : "Regionfullmäktige", Dates);
        var warnings = RescheduleConsequences.Warnings(explained, steps, Dates);

        var namndplan = Assert.Single(explained, m => m.Key == "namndplan/HSN");
        Assert.Equal(("Nämndplan beslutas", "Hälso- och sjukvårdsnämnden"), (namndplan.Title, namndplan.Body));
        Assert.Equal(new DateOnly(2026, 12, 16), namndplan.NewOpens);
        Assert.Null(namndplan.NewDue);
        Assert.Contains(warnings, w => w.Contains("Nämndplan beslutas (Hälso- och sjukvårdsnämnden) skulle öppna 2026-12-16, efter sin sista dag 2026-12-09", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("lagstadgad tidsfrist: sista dag flyttas från 2026-11-24 till 2026-12-25", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("2026-12-25, är juldagen och ingen arbetsdag", StringComparison.Ordinal));
        Assert.Equal(3, warnings.Count);
    }

    [Fact]
    public void Preview_HasNoWarnings_WhenAStepMovesToAnotherWorkingDayInOrder()
    {
        var steps = new Dictionary<string, StepDto> { ["vp/HSN"] = Step("vp/HSN", "Verksamhetsplan", "HSN", Utc(11, 2), Utc(12, 30)) };
        var explained = RescheduleConsequences.Steps([new("vp/HSN", "due", Utc(12, 30), Utc(12, 28))], steps, _ => "Hälso- och sjukvårdsnämnden", Dates);
        Assert.Empty(RescheduleConsequences.Warnings(explained, steps, Dates));
    }
}
