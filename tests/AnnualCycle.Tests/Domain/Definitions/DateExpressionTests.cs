using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>Each date-expression form and the deadline rules, on a small organisation and a one-step definition.</summary>
public sealed class DateExpressionTests : IDisposable
{
    private const string Organisation = """
        {
          "id": "test", "name": "Testregion",
          "bodies": [
            { "id": "RF", "name": "Regionfullmäktige", "kind": "assembly", "roles": [ { "id": "fullmaktige", "title": "RF" } ] },
            { "id": "HSN", "name": "Nämnd", "kind": "committee", "roles": [ { "id": "namnd", "title": "Nämnden" } ] },
            { "id": "HSF", "name": "Förvaltning", "kind": "administration", "serves": "HSN", "roles": [ { "id": "forvaltningsdirektor", "title": "FD" } ] }
          ],
          "meetings": [
            { "body": "RF", "year": 2025, "dates": ["2025-11-04", "2025-11-25"], "example": true },
            { "body": "HSN", "year": 2025, "dates": ["2025-12-10"], "example": true },
            { "body": "RF", "year": 2026, "dates": ["2026-11-03", "2026-11-24"], "example": true },
            { "body": "RF", "year": 2027, "dates": ["2027-11-30"], "example": true },
            { "body": "HSN", "year": 2026, "dates": ["2026-12-09"], "example": true }
          ]
        }
        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "annualcycle-expr-" + Guid.NewGuid().ToString("N"));

    public DateExpressionTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "organisations"));
        File.WriteAllText(Path.Combine(_folder, "organisations", "test.json"), Organisation);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("\"2026-06-19\"", false, "2026-06-18")]                    // midsommarafton: back to Thursday
    [InlineData("\"2026-06-19\"", true, "2026-06-18")]                     // statutory too: planned on or before the law's date, never after
    [InlineData("{ \"year\": -1, \"month\": 5, \"day\": 16 }", false, "2026-05-15")]
    [InlineData("{ \"year\": 0, \"month\": 2, \"day\": 29 }", false, "2027-02-26")] // no 29 February in 2027: the 28th, a Sunday → Friday
    [InlineData("{ \"meeting\": { \"body\": \"RF\", \"year\": -1, \"month\": 11, \"which\": \"last\" } }", false, "2026-11-24")]
    [InlineData("{ \"meeting\": { \"body\": \"RF\", \"year\": -1, \"month\": 11, \"which\": \"first\" } }", false, "2026-11-03")]
    [InlineData("{ \"meeting\": { \"body\": \"RF\", \"year\": -1, \"month\": 11, \"which\": 2 }, \"before\": { \"workingDays\": 5 } }", false, "2026-11-17")]
    [InlineData("{ \"rule\": \"lastWorkingDayOfMonth\", \"year\": -1, \"month\": 10 }", false, "2026-10-30")]
    [InlineData("{ \"rule\": \"firstWorkingDayOfMonth\", \"year\": 0, \"month\": 1 }", false, "2027-01-04")]
    [InlineData("{ \"rule\": \"firstWeekdayAfter\", \"weekday\": \"monday\", \"date\": { \"year\": -1, \"month\": 5, \"day\": 10 } }", false, "2026-05-11")]
    [InlineData("{ \"year\": -1, \"month\": 12, \"day\": 1, \"after\": { \"workingDays\": 3, \"days\": 1 } }", false, "2026-12-04")] // Tue + 3 working days = Fri, + 1 day = Sat → back to Fri
    public void Plan_ResolvesDueDate(string due, bool statutory, string expected)
    {
        var plan = Plan($$"""{ "id": "a", "title": "A", "kind": "task", "phase": "budget", "who": { "body": "RF" }, "due": {{due}}, "statutory": {{(statutory ? "true" : "false")}}, "source": "test" }""");

        Assert.Equal(expected, StockholmTime.Default.LocalDate(plan.Steps[0].Due).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public void Plan_ResolvesStepRelativeDatesAndLocalTimes()
    {
        var plan = Plan(
            """{ "id": "a", "title": "A", "kind": "meeting", "phase": "budget", "who": { "body": "RF" }, "due": "2026-11-24T13:00", "source": "test" }""",
            """{ "id": "b", "title": "B", "kind": "task", "phase": "budget", "who": { "body": "RF" }, "waitsFor": ["a"], "due": { "before": "a", "workingDays": 10 }, "opens": { "before": "a", "workingDays": 20 }, "source": "test" }""");

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.FromHours(1)), CyclePlannerTests.Step(plan, "a").Due);
        var b = CyclePlannerTests.Step(plan, "b");
        Assert.Equal(new DateTimeOffset(2026, 11, 10, 23, 59, 0, TimeSpan.FromHours(1)), b.Due);
        Assert.Equal(new DateTimeOffset(2026, 10, 27, 8, 0, 0, TimeSpan.FromHours(1)), b.Opens);
    }

    [Fact]
    public void Plan_NeverMissesOrDoublesA0800Reminder_AcrossSpringForward()
    {
        var plan = Plan("""{ "id": "a", "title": "A", "kind": "task", "phase": "budget", "who": { "body": "RF" }, "opens": "2026-03-02", "due": "2026-03-31", "reminders": { "before": [1, 2, 3], "overdue": [1] }, "source": "test" }""");

        Assert.Equal(
            [
                new DateTimeOffset(2026, 3, 26, 8, 0, 0, TimeSpan.FromHours(1)),
                new DateTimeOffset(2026, 3, 27, 8, 0, 0, TimeSpan.FromHours(1)),
                new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.FromHours(2)),
            ],
            plan.Steps[0].Reminders);
    }

    [Fact]
    public void Plan_SendsTheOverdueNoticeAt0800_AfterFallBack()
    {
        var plan = Plan("""{ "id": "a", "title": "A", "kind": "task", "phase": "budget", "who": { "body": "RF" }, "due": "2026-10-23", "reminders": { "before": [1], "overdue": [1] }, "source": "test" }""");

        Assert.Equal([new DateTimeOffset(2026, 10, 22, 8, 0, 0, TimeSpan.FromHours(2))], plan.Steps[0].Reminders);
        Assert.Equal([new DateTimeOffset(2026, 10, 26, 8, 0, 0, TimeSpan.FromHours(1))], plan.Steps[0].OverdueNotices);
    }

    /// <summary>Issue 15: the one overdue notice goes at the configured morning hour the working day after, never at the 23:59 deadline.</summary>
    [Fact]
    public void Plan_SendsTheOneOverdueNotice_AtTheConfiguredHour_TheWorkingDayAfter()
    {
        var plan = Plan("""{ "id": "a", "title": "A", "kind": "task", "phase": "budget", "who": { "body": "RF" }, "due": "2026-11-13", "reminders": { "before": [1], "overdue": [1], "time": "07:30" }, "source": "test" }""");

        Assert.Equal([new DateTimeOffset(2026, 11, 12, 7, 30, 0, TimeSpan.FromHours(1))], plan.Steps[0].Reminders);
        // Friday 13 November 23:59 is the deadline; Monday 16 November 07:30 the notice, and only that.
        Assert.Equal([new DateTimeOffset(2026, 11, 16, 7, 30, 0, TimeSpan.FromHours(1))], plan.Steps[0].OverdueNotices);
        Assert.DoesNotContain(plan.Steps[0].Due, plan.Steps[0].OverdueNotices);
    }

    [Fact]
    public void Plan_ResolvesAdministrationAndNamndForAFannedOutStep()
    {
        var plan = Plan("""{ "id": "n", "title": "N", "kind": "decision", "phase": "budget", "who": { "body": "$administration" }, "forEach": "committees", "due": { "meeting": { "body": "$body", "year": -1, "month": 12 } }, "approvals": [ { "body": "$administration", "role": "forvaltningsdirektor" }, { "body": "$body", "role": "namnd" } ], "source": "test" }""");

        var step = Assert.Single(plan.Steps);
        Assert.Equal("n/HSN", step.Key);
        Assert.Equal("HSN", step.BodyId);
        Assert.Equal(["HSF", "HSN"], step.Approvals.Select(a => a.BodyId));
        Assert.Equal([EscalationTarget.Director, EscalationTarget.ProcessOwner], step.Escalations.Select(e => e.Target));
    }

    private CyclePlan Plan(params string[] steps)
    {
        File.WriteAllText(Path.Combine(_folder, "test.json"),
            $$"""{ "id": "test", "name": "Test", "version": 1, "organisation": "test", "steps": [ {{string.Join(",\n", steps)}} ] }""");
        var catalog = WorkflowCatalog.Load(_folder, StockholmTime.Default);
        Assert.Empty(catalog.Problems);
        return new CyclePlanner(catalog, StockholmTime.Default).Plan("test", 2027);
    }
}
