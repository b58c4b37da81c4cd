using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>
/// The two budget years the seeds date exactly, planned from the shipped definitions: every date seeds 000, 001 and
/// 004 give for budget years 2023 and 2024 comes out of the plan, and every step cites where it comes from.
/// </summary>
public class SeedYearsTests
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly CyclePlanner Planner = new(Catalog, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly StockholmTime Time = StockholmTime.Default;

    [Theory]
    [InlineData("planeringsforutsattningar", "2022-02-08")] // seed 001 6.5: "klara för utskick för politiskt beslut den 8 februari 2022"
    [InlineData("kickoff", "2022-02-09")]                   // seed 001 6.4: "Den 9 februari genomförs ett informations- och uppstartsmöte"
    [InlineData("planeringsforutsattningar-rs", "2022-03-01")] // seed 001 6.5: "Beslut fattas av regionstyrelsen den 1 mars 2022"
    [InlineData("aterkoppling/HSN", "2022-04-14")]          // seed 001 6.5: "senast den 14 april 2022"
    [InlineData("aterkoppling/PN", "2022-04-14")]
    [InlineData("regionplan", "2022-06-14")]                // seed 001 1.3: "Regionplan i juni" (the RF June meeting)
    public void Plan2023_ReproducesTheDatesOfSeed001(string key, string due)
    {
        var plan = Planner.Plan("region-vasterbotten", 2023);

        Assert.Equal(due, DueDate(plan, key));
    }

    [Fact]
    public void Plan2023_HoldsStyrdialogerAfterTheAterkoppling_AndBothDelarsrapporter()
    {
        var plan = Planner.Plan("region-vasterbotten", 2023);

        var styrdialog = Step(plan, "styrdialog/HSN");
        Assert.Equal(["aterkoppling/HSN"], styrdialog.DependsOn);
        Assert.True(styrdialog.Opens > Step(plan, "aterkoppling/HSN").Due);
        Assert.True(styrdialog.Due < Step(plan, "regionplan").Due);

        // seed 001 avsnitt 6: "delår 30 april och delår 31 augusti samt helår".
        Assert.Equal(new DateOnly(2023, 4, 30), Step(plan, "delarsrapport-april-namnd/HSN").PeriodEnd);
        Assert.Equal(new DateOnly(2023, 4, 30), Step(plan, "delarsrapport-april").PeriodEnd);
        Assert.Equal(new DateOnly(2023, 8, 31), Step(plan, "delarsrapport").PeriodEnd);
        Assert.DoesNotContain(plan.Steps, s => s.StepId == "manadsrapport" && s.Title.EndsWith("april", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("kickoff", "2023-05-16")]    // seed 000: "Presenteras för politiken på kick-off 16 maj 2023"
    [InlineData("regionplan", "2023-11-20")] // seed 000: "beslutas 20-21 nov 2023"
    public void Plan2024_ReproducesTheDatesOfSeed000(string key, string due)
    {
        var plan = Planner.Plan("region-vasterbotten", 2024);

        Assert.Equal(due, DueDate(plan, key));
    }

    [Fact]
    public void Plan2024_DecidesTheNamndplanerInDecember2023_AndReplacesTheAprilDelarsrapportWithAManadsrapport()
    {
        var plan = Planner.Plan("region-vasterbotten", 2024);

        // seed 000: "Nämndernas planer 2024 beslutas i december 2023".
        Assert.All(plan.Steps.Where(s => s.StepId == "namndplan"), s => Assert.StartsWith("2023-12-", DueDate(plan, s.Key)));
        Assert.Contains(plan.Steps, s => s.StepId == "namndplan");

        // seed 004 § 105: "Delårsrapporten per april tas från 2024 bort och ersätts av en månadsrapport".
        Assert.DoesNotContain(plan.Steps, s => s.PeriodEnd == new DateOnly(2024, 4, 30) && s.StepId is not ("manadsrapport" or "resultatdialog"));
        var april = Assert.Single(plan.Steps, s => s.StepId == "manadsrapport" && s.BodyId == "HSN" && s.Title == "Månadsrapport per april");
        Assert.Equal(new DateOnly(2024, 4, 30), april.PeriodEnd);
        Assert.Contains("seed 004", april.Source);
        Assert.Equal(new DateOnly(2024, 8, 31), Step(plan, "delarsrapport").PeriodEnd);
    }

    [Fact]
    public void Plan2024_HasTheOfficialsSetThePlaneringsforutsattningar_AndTheVerksamhetsplanerWorkedOctoberToDecember2023()
    {
        var plan = Planner.Plan("region-vasterbotten", 2024);

        // seed 004 § 105: "Planeringsförutsättningarna 2024 och framåt fastställs av tjänstepersonorganisationen": no
        // decision by regionstyrelsen (the 2023 process of seed 001 had one on 1 March 2022).
        Assert.DoesNotContain(plan.Steps, s => s.StepId == "planeringsforutsattningar-rs");
        var forutsattningar = Step(plan, "planeringsforutsattningar");
        Assert.Equal(("EKO", "processagare"), (forutsattningar.BodyId, forutsattningar.Role));
        Assert.All(forutsattningar.Approvals, a => Assert.NotEqual("namnd", a.Role));
        Assert.True(forutsattningar.Due < Step(plan, "kickoff").Due);

        // seed 000 Verksamhetsplaner: "Alla verksamheter i organisationen arbetar med sin verksamhetsplan under okt-dec inför det kommande året".
        Assert.All(plan.Steps.Where(s => s.StepId == "verksamhetsplan"), s =>
        {
            Assert.Equal(new DateOnly(2023, 10, 2), Time.LocalDate(s.Opens)); // 1 October 2023 is a Sunday
            Assert.Equal("2023-12-29", DueDate(plan, s.Key));                  // the last working day of 2023
        });
    }

    [Fact]
    public void Plan2024_HasTheBudgetProcessReviewDoneByTheEndOfSeptember2024()
    {
        var plan = Planner.Plan("region-vasterbotten", 2024);

        // seed 004 § 105: "Uppdraget om översyn av budgetprocessen ska vara slutfört sista september 2024".
        var review = Step(plan, "oversyn-budgetprocess");
        Assert.Equal("2024-09-30", DueDate(plan, review.Key));
        Assert.Contains("sista september 2024", review.Source);
        Assert.Equal(("RS", "regiondirektor"), (review.BodyId, review.Role));
        Assert.Equal([("RS", "namnd")], review.Approvals.Select(a => (a.BodyId, a.Role)));
        Assert.DoesNotContain(Planner.Plan("region-vasterbotten", 2025).Steps, s => s.StepId == "oversyn-budgetprocess");
    }

    [Theory]
    [InlineData(2023, new[] { 2, 3, 5, 6, 9, 10, 11 })]    // seed 000 Månadsrapport: "Rapporterar sju gånger under året"; seed 001 avsnitt 6: "månadsvis"
    [InlineData(2024, new[] { 2, 3, 4, 5, 6, 9, 10, 11 })] // seed 004 § 105: the April delårsrapport "ersätts av en månadsrapport"
    public void Plan_ReportsMonthly_AndClosesTheWholeYearInTheArsredovisning(int year, int[] months)
    {
        var plan = Planner.Plan("region-vasterbotten", year);

        foreach (var body in new[] { "FHS", "HSN", "PN", "RS", "RUN" })
        {
            Assert.Equal(months, plan.Steps.Where(s => s.StepId == "manadsrapport" && s.BodyId == body).Select(s => s.PeriodEnd!.Value.Month).Order());
        }

        // seed 000 Delår och årsrapporter: "per april, per augusti och per december"; seed 001 avsnitt 6: "samt helår".
        var yearEnd = new DateOnly(year, 12, 31);
        Assert.All(plan.Steps.Where(s => s.StepId is "arsredovisning-namnd" or "arsredovisning" or "arsredovisning-overlamnas"), s => Assert.Equal(yearEnd, s.PeriodEnd));
        Assert.Equal(5, plan.Steps.Count(s => s.StepId == "arsredovisning-namnd"));
    }

    [Theory]
    [InlineData(2023)]
    [InlineData(2024)]
    public void Plan_CitesASeedOrTheLaw_ForEveryStep(int year)
    {
        var plan = Planner.Plan("region-vasterbotten", year);

        Assert.All(plan.Steps, s => Assert.Matches(@"seed 00[0-4]|Kommunallagen|LKBR|lag \(", s.Source ?? string.Empty));
    }

    private static PlannedStep Step(CyclePlan plan, string key) => Assert.Single(plan.Steps, s => s.Key == key);

    private static string DueDate(CyclePlan plan, string key) => Time.LocalDate(Step(plan, key).Due).ToString("yyyy-MM-dd");
}
