using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>Breaks copies of the shipped files in one way each and asserts the exact <c>file:line:column: message</c>.</summary>
public sealed class WorkflowValidationTests : IDisposable
{
    private const string Vb = "region-vasterbotten.json";
    private readonly WorkflowsCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void Load_ReportsNoProblems_ForTheShippedFiles()
    {
        var catalog = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, StockholmTime.Default);

        Assert.Empty(catalog.Problems);
        Assert.Equal(["region-norrbotten", "region-vasterbotten"], catalog.Workflows.Select(w => w.Id).Order());
        Assert.Equal(2, catalog.Organisations.Count);
    }

    [Fact]
    public void Validate_ReportsLineAndColumn_WhenStepReferenceIsUnknown()
    {
        _copy.Replace(Vb, "\"waitsFor\": [\"budgetforslag\"]", "\"waitsFor\": [\"budgetforslg\"]");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"budgetforslg\"")}: unknown step 'budgetforslg' in 'waitsFor' of step 'regionplan'", problem);
    }

    [Fact]
    public void Validate_KeepsTheOtherDefinitions_WhenOneIsInvalid()
    {
        _copy.Replace(Vb, "\"waitsFor\": [\"budgetforslag\"]", "\"waitsFor\": [\"budgetforslg\"]");

        var catalog = Load();

        // The broken version is left out; Norrbotten and Västerbotten's other versions are kept.
        Assert.Equal(["region-norrbotten", "region-vasterbotten"], catalog.Workflows.Select(w => w.Id).Order());
        Assert.Equal([1, 2, 3], catalog.VersionsOf("region-vasterbotten").Select(d => d.Version));
        Assert.Equal(1, catalog.Resolve("region-vasterbotten", 2027).Version); // version 1, kept for its running cycles, is what is left for 2027
    }

    [Fact]
    public void Validate_ReportsUnknownProperty_AtThePropertyName()
    {
        _copy.Replace(Vb, "\"id\": \"kickoff\",", "\"id\": \"kickoff\",\n      \"titel\": \"Kick-off\",");

        var problem = Assert.Single(Load().Problems);

        Assert.StartsWith($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"titel\"")}: unknown property 'titel' in step 'kickoff' (allowed: id, title,", problem);
    }

    [Fact]
    public void Validate_ReportsMissingRequiredProperty_AtTheStepObject()
    {
        _copy.Replace(Vb, "      \"source\": \"seed 000 Planeringsförutsättningar: \\\"Presenteras för politiken på kick-off 16 maj 2023\\\"; seed 001 avsnitt 6.4 Kickoff (example: 16 maj varje år)\"\n", string.Empty);
        _copy.Replace(Vb, "\"due\": { \"year\": -1, \"month\": 5, \"day\": 16 },", "\"due\": { \"year\": -1, \"month\": 5, \"day\": 16 }");

        var problem = Assert.Single(Load().Problems);

        // The step object starts on the line before "id": "kickoff", at its "{".
        var idLine = int.Parse(_copy.PositionOf(Vb, "\"id\": \"kickoff\"").Split(':')[0]);
        Assert.Equal($"{_copy.PathOf(Vb)}:{idLine - 1}:5: missing required property 'source' in step 'kickoff'", problem);
    }

    [Fact]
    public void Validate_ReportsABrokenStepOnce_NotAgainWhereOtherStepsReferToIt()
    {
        _copy.Replace(Vb, "\"kind\": \"milestone\",\n      \"phase\": \"planering\",\n      \"who\": { \"body\": \"CLG\"", "\"kind\": 7,\n      \"phase\": \"planering\",\n      \"who\": { \"body\": \"CLG\"");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"kind\": 7", 8)}: 'kind' in step 'kickoff' must be a string, not number", problem);
    }

    [Fact]
    public void Validate_ReportsWrongType()
    {
        _copy.Replace(Vb, "\"version\": 4,", "\"version\": \"4\",");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"version\": ", 11)}: 'version' in the workflow definition must be an integer, not string", problem);
    }

    [Fact]
    public void Validate_ReportsSyntaxError_WithItsLine()
    {
        _copy.Replace(Vb, "\"kind\": \"milestone\",\n      \"phase\": \"planering\",\n      \"who\": { \"body\": \"CLG\"", "\"kind\": \"milestone\"\n      \"phase\": \"planering\",\n      \"who\": { \"body\": \"CLG\"");

        var problem = Assert.Single(Load().Problems);

        var phaseLine = int.Parse(_copy.PositionOf(Vb, "\"kind\": \"milestone\"").Split(':')[0]) + 1;
        Assert.StartsWith($"{_copy.PathOf(Vb)}:{phaseLine}:7: syntax error:", problem);
    }

    [Fact]
    public void Validate_ReportsDependencyCycle()
    {
        _copy.Replace(Vb, "\"who\": { \"body\": \"CLG\", \"role\": \"regiondirektor\" },", "\"who\": { \"body\": \"CLG\", \"role\": \"regiondirektor\" },\n      \"waitsFor\": [\"aterkoppling\"],");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal(
            $"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "{\n      \"id\": \"planeringsforutsattningar\"")}: dependency cycle: planeringsforutsattningar → kickoff → aterkoppling → planeringsforutsattningar (through 'waitsFor' and step-relative dates)",
            problem);
    }

    [Fact]
    public void Validate_ReportsMeetingAnchorWithoutMeeting()
    {
        _copy.Replace(Vb, "\"due\": { \"meeting\": { \"body\": \"$body\", \"year\": -1, \"month\": 6, \"which\": \"last\" } },", "\"due\": { \"meeting\": { \"body\": \"$body\", \"year\": -1, \"month\": 7, \"which\": \"last\" } },");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal(
            $"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"$body\", \"year\": -1, \"month\": 7")}: no last meeting of HSN in juli 2024 in the sammanträdesplan of region-vasterbotten (cycle 2025; it has 0)",
            problem);
    }

    [Fact]
    public void Validate_ReportsDueBeforeOpens_ByResolvingTheCycle()
    {
        _copy.Replace(Vb, "\"opens\": { \"year\": -1, \"month\": 10, \"day\": 1 },", "\"opens\": { \"year\": 0, \"month\": 1, \"day\": 15 },");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal(
            $"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "{ \"rule\": \"lastWorkingDayOfMonth\", \"year\": -1, \"month\": 12 }")}: due date 2024-12-30 is before the open date 2025-01-15 for verksamhetsplan/FHS in the cycle for 2025",
            problem);
    }

    [Fact]
    public void Validate_ReportsUnknownBodyAndRole()
    {
        _copy.Replace(Vb, "\"who\": { \"body\": \"CLG\", \"role\": \"regiondirektor\" },", "\"who\": { \"body\": \"CLX\", \"role\": \"regiondirektor\" },");
        _copy.Replace(Vb, "\"approvals\": [ { \"body\": \"RS\", \"role\": \"regiondirektor\" } ],", "\"approvals\": [ { \"body\": \"RS\", \"role\": \"regionchef\" } ],");

        var problems = Load().Problems;

        Assert.Equal(2, problems.Count);
        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "{ \"body\": \"RS\", \"role\": \"regionchef\" }")}: body 'RS' has no role 'regionchef' (an approval of step 'planeringsforutsattningar'; its roles: namnd, regiondirektor, ordforande)", problems[0]);
        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "{ \"body\": \"CLX\"")}: unknown body 'CLX' in 'who' of step 'kickoff' (known: RF, RS, HSN, RUN, FHS, PN, RSF, HSF, RUF, FHF, PNF, EKO, CLG, REV)", problems[1]);
    }

    [Fact]
    public void Validate_ReportsMeetingOnAHoliday_InTheOrganisationFile()
    {
        const string Org = "organisations/region-vasterbotten.json";
        _copy.Replace(Org, "\"2026-11-24\"", "\"2026-12-24\"");

        var catalog = Load();

        Assert.Contains($"{_copy.PathOf(Org)}:{_copy.PositionOf(Org, "\"2026-12-24\"")}: meeting date 2026-12-24 is not a working day", catalog.Problems);
        Assert.DoesNotContain(catalog.Organisations, o => o.Id == "region-vasterbotten");
    }

    [Fact]
    public void Validate_ReportsUnknownOrganisation()
    {
        _copy.Replace(Vb, "\"organisation\": \"region-vasterbotten\"", "\"organisation\": \"region-vasterbotn\"");

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(Vb)}:{_copy.PositionOf(Vb, "\"organisation\": ", 16)}: unknown organisation 'region-vasterbotn' (no file in workflows/organisations/ has this id)", problem);
    }

    private WorkflowCatalog Load() => WorkflowCatalog.Load(_copy.Folder, StockholmTime.Default);
}
