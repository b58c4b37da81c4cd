using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>
/// The shipped cycles resolved for 2026, 2027 and 2031, against dates worked out by hand from the seeds, the
/// example sammanträdesplan (RF last Tuesday of November, RS fourth Tuesday, nämnder second Wednesday) and the law.
/// </summary>
public class CyclePlannerTests
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, StockholmTime.Default);
    private static readonly CyclePlanner Planner = new(Catalog, StockholmTime.Default);
    private static readonly StockholmTime Time = StockholmTime.Default;

    /// <summary>The version of Västerbotten's November process (from planning 2025).</summary>
    internal const int VasterbottenNovember = 4;

    [Theory]
    [InlineData(2026, "2025-11-25", "2025-10-28", "2025-05-16", "2025-12-10")]
    [InlineData(2027, "2026-11-24", "2026-11-10", "2026-05-15", "2026-12-09")] // 16 May 2026 is a Saturday; 2026 is an election year: the proposal in November
    [InlineData(2031, "2030-11-26", "2030-11-12", "2030-05-16", "2030-12-11")]
    public void Plan_Vasterbotten_DecidesRegionplanAtTheLastRfMeetingInNovemberTheYearBefore(int year, string regionplan, string proposal, string kickoff, string namndplan)
    {
        var plan = Planner.Plan("region-vasterbotten", year);

        Assert.Equal(regionplan, DueDate(plan, "regionplan"));
        var lastRfInNovember = Catalog.FindOrganisation("region-vasterbotten")!.Meetings
            .Where(m => m.BodyId == "RF" && m.Date.Year == year - 1 && m.Date.Month == 11).Max(m => m.Date);
        Assert.Equal(lastRfInNovember.ToString("yyyy-MM-dd"), DueDate(plan, "regionplan"));
        Assert.Equal(proposal, DueDate(plan, "budgetforslag"));
        Assert.Equal(kickoff, DueDate(plan, "kickoff"));
        Assert.Equal(namndplan, DueDate(plan, "namndplan/HSN"));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Plan_Vasterbotten2027_GivesDeadlinesAt2359LocalWithOffset()
    {
        var step = Step(Planner.Plan("region-vasterbotten", 2027), "regionplan");

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 59, 0, TimeSpan.FromHours(1)), step.Due);
        Assert.True(step.Statutory);
        Assert.Equal(StepKind.Decision, step.Kind);
        Assert.Equal("RF", step.BodyId);
    }

    [Fact]
    public void Plan_Vasterbotten_FansOutOverTheFourNamnderAndRecursSevenTimes()
    {
        var plan = Planner.Plan("region-vasterbotten", 2027);

        Assert.Equal(["aterkoppling/FHS", "aterkoppling/HSN", "aterkoppling/PN", "aterkoppling/RUN"], plan.Steps.Where(s => s.StepId == "aterkoppling").Select(s => s.Key).Order());
        Assert.Equal(5 * 8, plan.Steps.Count(s => s.StepId == "manadsrapport")); // four nämnder and regionstyrelsen, eight months
        var april = Step(plan, "manadsrapport#3/HSN");
        Assert.Equal("Månadsrapport per april", april.Title);
        Assert.Equal(3, april.Occurrence);
        Assert.Equal("HSN", april.BodyId);
        Assert.Equal("HSF", april.PerformerBodyId);
        Assert.Equal("controller", april.Role);
        Assert.Equal("HSF", Step(plan, "aterkoppling/HSN").PerformerBodyId); // the förvaltning writes the återkoppling
        Assert.Equal("uppfoljning", april.Phase);
        Assert.Equal("2027-05-17", Time.LocalDate(april.Due).ToString("yyyy-MM-dd")); // 30 April + 10 working days (1 May a holiday)
        Assert.Equal(plan.Steps.Count, plan.Steps.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public void Plan_ResolvesApprovalChainsToConcreteBodies()
    {
        var step = Step(Planner.Plan("region-vasterbotten", 2027), "namndplan/HSN");

        Assert.Equal(
            [new PlannedApproval(1, "HSF", "forvaltningsdirektor", "Förvaltningsdirektör"), new PlannedApproval(2, "HSN", "namnd", "Nämnden (vid sammanträde)")],
            step.Approvals);
    }

    [Fact]
    public void Plan_ResolvesDependenciesToKeys_SameBodyForFannedOutSteps()
    {
        var plan = Planner.Plan("region-vasterbotten", 2027);

        Assert.Equal(["aterkoppling/HSN"], Step(plan, "styrdialog/HSN").DependsOn);
        Assert.Equal(["planeringsforutsattningar"], Step(plan, "aterkoppling/PN").DependsOn);
        Assert.Equal(["regionplan"], Step(plan, "namndplan/RUN").DependsOn);
        Assert.Equal(
            ["budgetdialog/FHS", "budgetdialog/HSN", "budgetdialog/PN", "budgetdialog/RUN", "investeringsplan", "skattesats-forslag", "styrdialog/FHS", "styrdialog/HSN", "styrdialog/PN", "styrdialog/RUN"],
            Step(plan, "budgetforslag").DependsOn.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Plan_ListsStepsInDateOrder()
    {
        var plan = Planner.Plan("region-norrbotten", 2027);

        Assert.Equal(plan.Steps.Select(s => s.Due).Order(), plan.Steps.Select(s => s.Due));
        Assert.Equal("anvisningar", plan.Steps[0].Key);
        Assert.Equal("2025-10-01", DueDate(plan, "anvisningar"));
    }

    [Theory]
    [InlineData(2027, "2026-06-09", "2026-11-24")]
    [InlineData(2031, "2030-06-11", "2030-11-26")]
    public void Plan_Norrbotten_InAnElectionYear_HasTheNewFullmaktigeAdoptTheBudgetInNovember(int year, string june, string november)
    {
        var plan = Planner.Plan("region-norrbotten", year);

        Assert.Equal(june, DueDate(plan, "strategisk-plan"));
        Assert.Equal(november, DueDate(plan, "budget-nyvalda"));
        Assert.Equal(StatutoryChecks.Budget, Step(plan, "budget-nyvalda").StatutoryRule);
        Assert.Equal("electionYear", Step(plan, "budget-nyvalda").Variant);
        Assert.Contains("avgående", Step(plan, "strategisk-plan").Title);
        Assert.DoesNotContain(plan.Steps, s => s.StepId == "tillaggsbudget");
        Assert.Empty(plan.Warnings);
        Assert.Equal(year - 1, plan.Election!.Year);
        Assert.Contains("nyvalda fullmäktige fastställer budgeten i november", plan.Election.Handling);
    }

    [Fact]
    public void Plan_Norrbotten2026_HasNoWarnings_BecauseTheSummerBeforeIsNoElectionYear()
    {
        var plan = Planner.Plan("region-norrbotten", 2026);

        Assert.Empty(plan.Warnings);
        Assert.Equal("2025-06-10", DueDate(plan, "strategisk-plan"));
        Assert.Equal("2025-09-24", DueDate(plan, "verksamhetsplan/RS"));
        Assert.Equal("2025-12-30", DueDate(plan, "enhetsplan/PN"));
        Assert.Equal("2025-11-25", DueDate(plan, "tillaggsbudget"));
        Assert.DoesNotContain(plan.Steps, s => s.StepId == "budget-nyvalda");
        Assert.Null(plan.Election);
    }

    [Fact]
    public void Plan_WarnsAboutTheDelarsrapport_WhenItsDueDateIsMovedPastTwoMonths()
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["delarsrapport"] = new(2027, 11, 10) });

        var plan = Planner.Plan("region-vasterbotten", 2027, overrides);

        Assert.Equal("2027-11-12", DueDate(plan, "delarsrapport-overlamnas")); // follows: 2 working days after
        var warning = Assert.Single(plan.Warnings);
        Assert.Equal(StatutoryChecks.InterimReport, warning.Rule);
        Assert.Equal("delarsrapport-overlamnas", warning.StepKey);
        Assert.Contains("senast 2027-10-31", warning.Message);
    }

    [Theory]
    [InlineData("2026-10-14", true)]  // the day before the new fullmäktige takes office
    [InlineData("2026-10-15", false)]
    public void Plan_Vasterbotten_WarnsWhenTheRegionplanIsAdoptedBeforeTheNewFullmaktigeTakesOffice(string date, bool warns)
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["regionplan"] = SwedishCalendarDate(date) });

        var warnings = Planner.Plan("region-vasterbotten", 2027, overrides).Warnings;

        Assert.Equal(warns, warnings.Any(w => w.Rule == StatutoryChecks.Budget && w.StepKey == "regionplan" && w.Message.Contains("2026 är valår")));
    }

    [Fact]
    public void Plan_WarnsAboutTheBudget_WhenAdoptedAfterNovember()
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["regionplan"] = new(2025, 12, 2) });

        var warning = Assert.Single(Planner.Plan("region-vasterbotten", 2026, overrides).Warnings);

        Assert.Equal("Budgeten för 2026 fastställs 2025-12-02, efter november månads utgång 2025.", warning.Message);
    }

    [Fact]
    public void Plan_WarnsAboutTheBudgetProposal_WhenMovedIntoNovember_WithoutASkattesatsProposal()
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["budgetforslag"] = new(2025, 11, 5) });

        var warning = Assert.Single(Planner.Plan("region-vasterbotten", 2026, overrides).Warnings);

        Assert.Equal(StatutoryChecks.BudgetProposal, warning.Rule);
        Assert.Contains("särskilda skäl", warning.Message);
        Assert.Contains("skattesats", warning.Message);
    }

    [Fact]
    public void Plan_MovesDependentDates_WhenADueDateIsOverridden()
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["regionplan"] = new(2026, 11, 30) });

        var plan = Planner.Plan("region-vasterbotten", 2027, overrides);

        Assert.Equal("2026-11-30", DueDate(plan, "regionplan"));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.FromHours(1)), Step(plan, "namndplan/HSN").Opens);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.FromHours(1)), Step(Planner.Plan("region-vasterbotten", 2027), "namndplan/HSN").Opens);
    }

    [Theory]
    [InlineData(2023, 2)]
    [InlineData(2024, 3)]
    [InlineData(2025, VasterbottenNovember)]
    [InlineData(2027, VasterbottenNovember)]
    [InlineData(2035, VasterbottenNovember)]
    public void Plan_Vasterbotten_PicksTheVersionThatAppliesToTheBudgetYear(int year, int version)
    {
        Assert.Equal(version, Planner.Plan("region-vasterbotten", year).WorkflowVersion);
    }

    [Fact]
    public void Plan_Vasterbotten_HasNoVersionFor2022_AndPlansAGivenVersionOnlyForItsYears()
    {
        var none = Assert.Throws<PlanningException>(() => Planner.Plan("region-vasterbotten", 2022));
        Assert.Contains("no version of region-vasterbotten applies to budget year 2022", none.Message);
        Assert.Contains("v2 (2023)", none.Message);
        Assert.Contains("v3 (2024)", none.Message);

        Assert.Equal(3, Planner.Plan("region-vasterbotten", 2024, version: 3).WorkflowVersion);
        Assert.Throws<PlanningException>(() => Planner.Plan("region-vasterbotten", 2027, version: 3));
        Assert.Throws<KeyNotFoundException>(() => Planner.Plan("region-vasterbotten", 2027, version: 99));
        Assert.Equal(2023, Catalog.PlannableYearsOf("region-vasterbotten")[0]);
        Assert.Equal(2035, Catalog.PlannableYearsOf("region-vasterbotten")[^1]);
    }

    [Fact]
    public void Plan_MovesDatesComputedBeforeAndAfterAMovedStep()
    {
        // Kick-off moved from Fri 15 May to Tue 26 May 2026: the planeringsförutsättningar (5 working days before)
        // and the återkoppling's open date (1 working day after) follow; the återkoppling's due date (a meeting) does not.
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { ["kickoff"] = new(2026, 5, 26) });

        var plan = Planner.Plan("region-vasterbotten", 2027, overrides);

        Assert.Equal("2026-05-26", DueDate(plan, "kickoff"));
        Assert.Equal("2026-05-19", DueDate(plan, "planeringsforutsattningar"));
        Assert.Equal(new DateTimeOffset(2026, 5, 27, 8, 0, 0, TimeSpan.FromHours(2)), Step(plan, "aterkoppling/HSN").Opens);
        Assert.Equal("2026-06-10", DueDate(plan, "aterkoppling/HSN"));
    }

    [Fact]
    public void Plan_Throws_ForAnUnknownWorkflowOrOverrideKey()
    {
        Assert.Throws<KeyNotFoundException>(() => Planner.Plan("region-gotland", 2027));
        Assert.Throws<ArgumentException>(() => Planner.Plan("region-vasterbotten", 2027, new PlanOverrides(new Dictionary<string, DateOnly> { ["nope"] = new(2026, 1, 1) })));
    }

    [Theory]
    [InlineData("region-vasterbotten", 2026)]
    [InlineData("region-vasterbotten", 2027)]
    [InlineData("region-norrbotten", 2031)]
    public void Plan_PutsEveryReminderAt0800LocalOnAWorkingDay_BetweenOpensAndDue(string id, int year)
    {
        var plan = Planner.Plan(id, year);

        foreach (var step in plan.Steps)
        {
            Assert.All(step.Reminders.Concat(step.OverdueNotices).Concat(step.Escalations.Select(e => e.At)), r =>
            {
                var local = Time.ToLocal(r);
                Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(local.DateTime));
                Assert.True(SwedishCalendar.IsWorkingDay(DateOnly.FromDateTime(local.DateTime)), $"{step.Key}: {local} is not a working day");
            });
            Assert.All(step.Reminders, r => Assert.InRange(r, step.Opens, step.Due));
            Assert.All(step.OverdueNotices, r => Assert.True(r > step.Due));
            Assert.Equal(step.Reminders.Count, step.Reminders.Distinct().Count());
        }

        // RF has no förvaltning: its steps escalate only to the process owner.
        var rf = plan.Steps.First(s => s.BodyId == "RF");
        Assert.Equal([EscalationTarget.ProcessOwner], rf.Escalations.Select(e => e.Target));
        var withDirector = plan.Steps.First(s => s.Escalations.Count == 2);
        Assert.Equal([EscalationTarget.Director, EscalationTarget.ProcessOwner], withDirector.Escalations.Select(e => e.Target));
        Assert.True(withDirector.Escalations[0].At < withDirector.Escalations[1].At);
    }

    private static DateOnly SwedishCalendarDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal static PlannedStep Step(CyclePlan plan, string key) => Assert.Single(plan.Steps, s => s.Key == key);

    private static string DueDate(CyclePlan plan, string key) => Time.LocalDate(Step(plan, key).Due).ToString("yyyy-MM-dd");
}
