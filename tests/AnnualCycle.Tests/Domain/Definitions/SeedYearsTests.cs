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
