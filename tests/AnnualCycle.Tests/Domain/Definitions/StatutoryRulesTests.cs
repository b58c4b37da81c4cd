using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>
/// The law's rule set against the shipped cycles for every budget year 2023–2035: the plans keep every rule (checked
/// here from the dates, not by trusting the checker), the checker says nothing about them, and it does speak up, with
/// its law reference, when a moved or mis-written date really breaks a rule.
/// </summary>
public sealed class StatutoryRulesTests : IDisposable
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly CyclePlanner Planner = new(Catalog, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly StockholmTime Time = StockholmTime.Default;
    private readonly WorkflowsCopy _copy = new();

    public static TheoryData<string, int> EveryYear()
    {
        var data = new TheoryData<string, int>();
        foreach (var workflow in new[] { "region-vasterbotten", "region-norrbotten" })
        {
            for (var year = 2023; year <= 2035; year++)
            {
                data.Add(workflow, year);
            }
        }

        return data;
    }

    public void Dispose() => _copy.Dispose();

    [Theory]
    [MemberData(nameof(EveryYear))]
    public void Plan_KeepsEveryStatutoryRule_AndTheCheckerAgrees(string workflow, int year)
    {
        var plan = Planner.Plan(workflow, year);

        Assert.Empty(plan.Warnings);
        DateOnly Due(PlannedStep s) => Time.LocalDate(s.Due);
        IReadOnlyList<PlannedStep> Rule(string rule) => plan.Steps.Where(s => s.StatutoryRule == rule).OrderBy(s => s.Due).ToList();
        Assert.All(plan.Steps.Where(s => s.StatutoryRule is not null), s => Assert.StartsWith("Kommunallagen (2017:725)", s.Statute));

        // KL 11:8: the proposal before the end of October, or in November with a skattesats proposal in October.
        var proposals = Rule(StatutoryChecks.BudgetProposal);
        Assert.NotEmpty(proposals);
        Assert.All(proposals, p => Assert.True(Due(p) <= new DateOnly(year - 1, 11, 30), $"{p.Key} {Due(p)}"));
        var november = proposals.Any(p => Due(p) > new DateOnly(year - 1, 10, 31));
        if (november)
        {
            Assert.Contains(Rule(StatutoryChecks.TaxRateProposal), t => Due(t) <= new DateOnly(year - 1, 10, 31));
        }

        // KL 11:10: adopted before the end of November (December when proposed in November); in an election year by the new fullmäktige.
        var budget = Rule(StatutoryChecks.Budget)[^1];
        Assert.True(Due(budget) <= (november ? new DateOnly(year - 1, 12, 31) : new DateOnly(year - 1, 11, 30)), $"{budget.Key} {Due(budget)}");
        if (SwedishElections.IsElectionYear(year - 1))
        {
            Assert.True(Due(budget) >= new DateOnly(year - 1, 10, 15), $"{budget.Key} {Due(budget)} is before the new fullmäktige take office");
            Assert.NotNull(plan.Election);
        }
        else
        {
            Assert.Null(plan.Election);
        }

        // LKBR 13:1 and KL 11:16: half to two thirds of the year, handed over within two months.
        var interim = Assert.Single(Rule(StatutoryChecks.InterimReport));
        Assert.InRange(interim.PeriodEnd!.Value, new DateOnly(year, 6, 30), new DateOnly(year, 8, 31));
        Assert.True(Due(interim) <= interim.PeriodEnd.Value.AddMonths(2));

        // KL 11 kap. (15 April), KL 12:12 and 5:24–25 (ansvarsfrihet before the end of June), in that order.
        var annual = Assert.Single(Rule(StatutoryChecks.AnnualReport));
        Assert.True(Due(annual) <= new DateOnly(year + 1, 4, 15));
        var audit = Assert.Single(Rule(StatutoryChecks.AuditReport));
        var discharge = Assert.Single(Rule(StatutoryChecks.Discharge));
        var approval = Assert.Single(Rule(StatutoryChecks.AnnualReportApproval));
        Assert.True(Due(annual) <= Due(audit) && Due(audit) <= Due(discharge) && Due(annual) <= Due(approval));
        Assert.True(Due(discharge) <= new DateOnly(year + 1, 6, 30));
    }

    [Fact]
    public void Plan_PutsAStatutoryDeadlineOnAWeekendOnTheFridayBefore_WithoutAWarning()
    {
        // Sunday 30 November 2025: the old rule (Lag 1930:173) moved it to Monday 1 December and then warned it was late.
        _copy.Replace("region-vasterbotten.json",
            "\"waitsFor\": [\"budgetforslag\"],\n      \"due\": { \"meeting\": { \"body\": \"RF\", \"year\": -1, \"month\": 11, \"which\": \"last\" } },",
            "\"waitsFor\": [\"budgetforslag\"],\n      \"due\": { \"year\": -1, \"month\": 11, \"day\": 30 },");
        // Saturday 15 April 2028; Friday the 14th is långfredagen.
        _copy.Replace("region-norrbotten.json", "\"due\": { \"after\": \"arsrapport\", \"workingDays\": 2 },", "\"due\": { \"year\": 1, \"month\": 4, \"day\": 15 },");
        var planner = new CyclePlanner(WorkflowCatalog.Load(_copy.Folder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm), AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);

        var vasterbotten = planner.Plan("region-vasterbotten", 2026);
        var norrbotten = planner.Plan("region-norrbotten", 2027);

        Assert.Equal("2025-11-28", DueDate(vasterbotten, "regionplan"));
        Assert.Empty(vasterbotten.Warnings);
        Assert.Equal("2028-04-13", DueDate(norrbotten, "arsrapport-overlamnas"));
        Assert.Empty(norrbotten.Warnings);
    }

    [Theory]
    [InlineData("regionplan", "2025-12-02", StatutoryChecks.Budget, "Budgeten för 2026 fastställs 2025-12-02, efter november månads utgång 2025.")]
    [InlineData("budgetforslag", "2025-11-05", StatutoryChecks.BudgetProposal, "planera ett förslag till skattesats")]
    [InlineData("budgetforslag", "2025-12-01", StatutoryChecks.BudgetProposal, "senare än lagen medger även med särskilda skäl")]
    [InlineData("delarsrapport", "2026-11-10", StatutoryChecks.InterimReport, "mer än två månader efter periodens slut (senast 2026-10-31)")]
    [InlineData("arsredovisning-overlamnas", "2027-04-16", StatutoryChecks.AnnualReport, "efter den 15 april 2027")]
    [InlineData("arsredovisning-rf", "2027-03-10", StatutoryChecks.AnnualReportApproval, "innan den har lämnats")]
    [InlineData("revisionsberattelse", "2027-06-10", StatutoryChecks.AuditReport, "efter fullmäktiges beslut om ansvarsfrihet")]
    [InlineData("ansvarsfrihet", "2027-07-01", StatutoryChecks.Discharge, "efter juni månads utgång 2027")]
    public void Plan_Warns_WithTheLaw_WhenAMovedDateBreaksARule(string key, string date, string rule, string message)
    {
        var overrides = new PlanOverrides(new Dictionary<string, DateOnly> { [key] = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture) });

        var warnings = Planner.Plan("region-vasterbotten", 2026, overrides).Warnings;

        var warning = Assert.Single(warnings, w => w.Rule == rule);
        Assert.Contains(message, warning.Message);
        Assert.Equal(StatutoryChecks.StatuteOf(rule), warning.Source);
    }

    [Theory]
    [InlineData("{ \"year\": 0, \"month\": 4, \"day\": 30 }", "mindre än hälften")]
    [InlineData("{ \"year\": 0, \"month\": 9, \"day\": 30 }", "mer än två tredjedelar")]
    public void Plan_Warns_WhenTheDelarsrapportDoesNotCoverHalfToTwoThirdsOfTheYear(string periodEnd, string message)
    {
        _copy.Replace("region-norrbotten.json",
            "\"due\": { \"after\": \"delarsrapport\", \"workingDays\": 2 },\n      \"periodEnd\": { \"year\": 0, \"month\": 8, \"day\": 31 },",
            $"\"due\": {{ \"after\": \"delarsrapport\", \"workingDays\": 2 }},\n      \"periodEnd\": {periodEnd},");

        var warnings = new CyclePlanner(WorkflowCatalog.Load(_copy.Folder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm), AnnualCycle.Tests.Infrastructure.TestZone.Stockholm).Plan("region-norrbotten", 2026).Warnings;

        var warning = Assert.Single(warnings, w => w.Message.Contains(message, StringComparison.Ordinal));

        Assert.Equal(StatutoryChecks.InterimReport, warning.Rule);
        Assert.Contains(message, warning.Message);
        Assert.Contains("13 kap. 1 §", warning.Source);
    }

    private static string DueDate(CyclePlan plan, string key) => Time.LocalDate(Assert.Single(plan.Steps, s => s.Key == key).Due).ToString("yyyy-MM-dd");
}
