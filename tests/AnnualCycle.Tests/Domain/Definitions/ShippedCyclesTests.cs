using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>
/// What the shipped cycles hold beyond the dates: regionstyrelsen as a nämnd, who writes, signs and decides, the
/// steps an ekonomistab works with, and the election-year handling, chosen by the budget year.
/// </summary>
public sealed class ShippedCyclesTests : IDisposable
{
    private static readonly WorkflowCatalog Catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly CyclePlanner Planner = new(Catalog, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    private static readonly StockholmTime Time = StockholmTime.Default;
    private readonly WorkflowsCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Theory]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2027)]
    public void Vasterbotten_HasRegionstyrelsenAsANamnd_WhereTheSeedsSayNamnderOchStyrelser(int year)
    {
        var plan = Planner.Plan("region-vasterbotten", year);

        foreach (var stepId in new[] { "namndplan", "verksamhetsplan", "delarsrapport-namnd", "arsredovisning-namnd", "detaljbudget" })
        {
            Assert.Equal(["FHS", "HSN", "PN", "RS", "RUN"], plan.Steps.Where(s => s.StepId == stepId).Select(s => s.BodyId).Order(StringComparer.Ordinal));
        }

        Assert.Contains(plan.Steps, s => s.StepId == "manadsrapport" && s.BodyId == "RS");
        var namndplan = Step(plan, "namndplan/RS");
        Assert.Equal("RSF", namndplan.PerformerBodyId);
        Assert.Equal([new PlannedApproval(1, "RSF", "forvaltningsdirektor", "Förvaltningsdirektör"), new PlannedApproval(2, "RS", "namnd", "Nämnden (vid sammanträde)")], namndplan.Approvals);

        // Regionstyrelsen gives the planeringsförutsättningar and holds the styrdialoger: it does not answer itself.
        Assert.DoesNotContain(plan.Steps, s => s.StepId is "aterkoppling" or "styrdialog" && s.BodyId == "RS");
    }

    [Fact]
    public void Vasterbotten_LetsTheForvaltningWrite_TheDirectorSign_AndTheNamndDecide()
    {
        var plan = Planner.Plan("region-vasterbotten", 2027);

        foreach (var key in new[] { "aterkoppling/HSN", "namndplan/HSN" })
        {
            var step = Step(plan, key);
            Assert.Equal(("HSF", "controller"), (step.PerformerBodyId, step.Role));
            Assert.Equal([("HSF", "forvaltningsdirektor"), ("HSN", "namnd")], step.Approvals.Select(a => (a.BodyId, a.Role)));
        }
    }

    [Theory]
    [InlineData(2023)]
    [InlineData(2024)]
    [InlineData(2026)]
    [InlineData(2027)]
    public void Vasterbotten_HasTheStepsTheSeedsNameForAnEkonomistab_EachCitingItsSource(int year)
    {
        var plan = Planner.Plan("region-vasterbotten", year);

        var expected = new Dictionary<string, string>
        {
            ["budgetdialog/HSN"] = "seed 00",
            ["resultatdialog#1/HSN"] = "seed 002",
            ["investeringsplan"] = "seed 001",
            ["tillaggsbudget"] = "seed 001",
            ["atgardsplan/HSN"] = "seed 001",
            ["detaljbudget/RS"] = "seed 001",
            ["budget-stratsys/HSN"] = "Stratsys",
            ["revisionsberattelse"] = "12 kap. 12 §",
            ["ansvarsfrihet"] = "5 kap. 24–25 §§",
        };
        foreach (var (key, source) in expected)
        {
            Assert.Contains(source, Step(plan, key).Source);
        }

        Assert.Equal("REV", Step(plan, "revisionsberattelse").BodyId);
        Assert.Equal(["HSN"], plan.Steps.Where(s => s.StepId == "resultatdialog").Select(s => s.BodyId).Distinct());
        Assert.Equal(("HSF", "forvaltningsdirektor"), (Step(plan, "atgardsplan/HSN").Approvals[0].BodyId, Step(plan, "atgardsplan/HSN").Approvals[0].Role));
        Assert.Equal(["detaljbudget/PN"], Step(plan, "budget-stratsys/PN").DependsOn);
    }

    public static TheoryData<string, int> EveryCycle()
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

    [Theory]
    [MemberData(nameof(EveryCycle))]
    public void EveryCycle_LetsTheForvaltningWrite_TheDirectorSign_AndTheNamndDecide_AndNobodyApprovesTheirOwnStep(string workflow, int year)
    {
        var plan = Planner.Plan(workflow, year);

        foreach (var step in plan.Steps)
        {
            var performer = (step.PerformerBodyId ?? step.BodyId, step.Role ?? string.Empty);

            // No performer approves their own step (what validate refuses in a file, checked here on every planned cycle).
            Assert.DoesNotContain(performer, step.Approvals.Select(a => (a.BodyId, a.Role)));

            // The nämnd's secretary writes nothing (the återkopplingsrapport, the nämndplan): the förvaltning does.
            Assert.NotEqual("sekreterare", step.Role);

            // A nämnd's decision on what is written for it (fanned out per nämnd): its förvaltning writes, the director
            // signs first, the nämnd decides last.
            if (step.Key.Contains('/', StringComparison.Ordinal) && step.Approvals is [.., { Role: "namnd" } last] && last.BodyId == step.BodyId)
            {
                Assert.True(step.PerformerBodyId is not null, $"{step.Key}: written by {performer}, not by a förvaltning");
                Assert.Equal("controller", step.Role);
                Assert.Equal((step.PerformerBodyId, "forvaltningsdirektor"), (step.Approvals[0].BodyId, step.Approvals[0].Role));
            }
        }

        Assert.Contains(plan.Steps, s => s.Approvals is [.., { Role: "namnd" }]);
    }

    [Fact]
    public void Norrbotten_ClosesTheWholeYearInTheArsrapport()
    {
        var plan = Planner.Plan("region-norrbotten", 2027);

        // seed 003: "två gånger per år i en delårsrapport och en årsrapport".
        Assert.Equal(new DateOnly(2027, 12, 31), Step(plan, "arsrapport").PeriodEnd);
        Assert.Equal(new DateOnly(2027, 12, 31), Step(plan, "arsrapport-overlamnas").PeriodEnd);
    }

    [Fact]
    public void Vasterbotten2027_IsAnElectionYearCycle_WithTheSkattesatsInOctober_AndTheProposalAndTheNewFullmaktigesBudgetInNovember()
    {
        var plan = Planner.Plan("region-vasterbotten", 2027);

        Assert.Equal(new DateOnly(2026, 9, 13), plan.Election!.ElectionDay);
        Assert.Equal(new DateOnly(2026, 10, 15), plan.Election.NewAssemblyFrom);
        Assert.Contains("nyvalda fullmäktige", plan.Election.Handling);
        Assert.Contains("Kommunallagen 11 kap. 8 och 10 §§", plan.Election.Source);
        Assert.Equal(["budgetforslag", "regionplan", "skattesats-forslag"], plan.Election.StepKeys.Order(StringComparer.Ordinal));
        Assert.Equal("2026-10-27", DueDate(plan, "skattesats-forslag"));
        Assert.Equal("2026-11-10", DueDate(plan, "budgetforslag"));
        Assert.Equal("2026-11-24", DueDate(plan, "regionplan"));
        Assert.StartsWith("Nyvalda regionfullmäktige", Step(plan, "regionplan").Title);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Vasterbotten2026_IsNoElectionYearCycle_AndHasNoSkattesatsStep()
    {
        var plan = Planner.Plan("region-vasterbotten", 2026);

        Assert.Null(plan.Election);
        Assert.DoesNotContain(plan.Steps, s => s.StepId == "skattesats-forslag" || s.Variant is not null);
        Assert.Equal("2025-10-28", DueDate(plan, "budgetforslag"));
    }

    [Fact]
    public void Vasterbotten2023_DecidesTheRegionplanInJune_AndTheNewFullmaktigeAdoptsTheBudgetInNovember2022()
    {
        var plan = Planner.Plan("region-vasterbotten", 2023);

        Assert.Equal("2022-06-14", DueDate(plan, "regionplan"));
        Assert.Equal("2022-10-31", DueDate(plan, "skattesats-forslag"));
        Assert.Equal("2022-11-15", DueDate(plan, "budgetforslag-nyvalda"));
        Assert.Equal("2022-11-29", DueDate(plan, "regionplan-nyvalda"));
        Assert.Equal(["regionplan", "regionplan-nyvalda"], Step(plan, "namndplan/HSN").DependsOn.Order(StringComparer.Ordinal));
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Norrbotten_ReportsMonthlyIncludingJune_AndHasAHalsoOchSjukvardsnamnd()
    {
        var plan = Planner.Plan("region-norrbotten", 2027);

        Assert.Contains(plan.Steps, s => s.StepId == "manadsrapport" && s.Title == "Uppföljningsrapport till regionstyrelsen per juni");
        Assert.Equal(10, plan.Steps.Count(s => s.StepId == "manadsrapport"));
        Assert.Equal(["HSN", "PN", "RS", "RUN"], plan.Steps.Where(s => s.StepId == "verksamhetsplan").Select(s => s.BodyId).Order(StringComparer.Ordinal));
        Assert.Equal("HSF", Step(plan, "verksamhetsplan/HSN").PerformerBodyId);
        Assert.Contains(plan.Steps, s => s.StepId == "ansvarsfrihet");
    }

    [Fact]
    public void Validate_RefusesAChainWhereWhoeverDoesTheStepAlsoApprovesIt()
    {
        _copy.Replace("region-vasterbotten.json",
            "\"title\": \"Nämndplan beslutas\",\n      \"kind\": \"decision\",\n      \"phase\": \"budget\",\n      \"who\": { \"body\": \"$administration\", \"role\": \"controller\" },",
            "\"title\": \"Nämndplan beslutas\",\n      \"kind\": \"decision\",\n      \"phase\": \"budget\",\n      \"who\": { \"body\": \"$administration\", \"role\": \"forvaltningsdirektor\" },");

        var problems = WorkflowCatalog.Load(_copy.Folder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm).Problems;

        var problem = Assert.Single(problems);
        var file = _copy.PathOf("region-vasterbotten.json");
        var text = File.ReadAllText(file);
        var approval = text.IndexOf("{ \"body\": \"$administration\", \"role\": \"forvaltningsdirektor\" }", text.IndexOf("\"approvals\"", text.IndexOf("\"Nämndplan beslutas\"", StringComparison.Ordinal), StringComparison.Ordinal), StringComparison.Ordinal);
        var line = text[..approval].Count(c => c == '\n') + 1;
        var column = approval - text.LastIndexOf('\n', approval - 1);
        Assert.Equal($"{file}:{line}:{column}: approval 1 of step 'namndplan' is given by forvaltningsdirektor in RSF, who also does the step ('who'): whoever does a step may not approve it (the förvaltning writes, its director signs, the nämnd decides)", problem);
    }

    [Theory]
    [InlineData(2014, "2014-09-14")]
    [InlineData(2018, "2018-09-09")]
    [InlineData(2022, "2022-09-11")]
    [InlineData(2026, "2026-09-13")]
    [InlineData(2030, "2030-09-08")]
    [InlineData(2010, "2010-09-19")] // the third Sunday before 2014
    public void ElectionDay_IsTheSecondSundayOfSeptember(int year, string day)
    {
        Assert.True(SwedishElections.IsElectionYear(year));
        Assert.Equal(day, SwedishElections.ElectionDay(year).ToString("yyyy-MM-dd"));
        Assert.Equal(new DateOnly(year, 10, 15), SwedishElections.NewAssemblyTakesOffice(year));
        Assert.False(SwedishElections.IsElectionYear(year + 1));
        Assert.True(SwedishElections.IsElectionCycle(year + 1));
    }

    private static PlannedStep Step(CyclePlan plan, string key) => Assert.Single(plan.Steps, s => s.Key == key);

    private static string DueDate(CyclePlan plan, string key) => Time.LocalDate(Step(plan, key).Due).ToString("yyyy-MM-dd");
}
