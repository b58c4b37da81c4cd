using AnnualCycle.Domain.Definitions;

namespace AnnualCycle.Tests.Domain.Definitions;

/// <summary>Several versions of one workflow id in one folder: which one a year gets, and what the loader refuses.</summary>
public sealed class WorkflowVersionsTests : IDisposable
{
    private const string Vb = "region-vasterbotten.json";
    private readonly WorkflowsCopy _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public void Resolve_GivesAYearTheHighestVersionThatAppliesToIt_AndAGivenVersionWhenAsked()
    {
        var november = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm).FindDefinition("region-vasterbotten")!.Version;
        AddVersion(99, "{ \"from\": 2028 }", kickoffDay: 20);

        var catalog = Load();

        Assert.Empty(catalog.Problems);
        Assert.Equal(november, catalog.Resolve("region-vasterbotten", 2027).Version);
        Assert.Equal(99, catalog.Resolve("region-vasterbotten", 2028).Version);
        Assert.Equal(november, catalog.Resolve("region-vasterbotten", 2028, november).Version);
        Assert.Equal(99, catalog.FindDefinition("region-vasterbotten")!.Version);
        Assert.Equal(99, Assert.Single(catalog.Workflows, w => w.Id == "region-vasterbotten").Version);
        var planner = new CyclePlanner(catalog, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
        Assert.Equal(new DateOnly(2027, 5, 20), DateOnly.FromDateTime(planner.Plan("region-vasterbotten", 2028).Steps.Single(s => s.Key == "kickoff").Due.DateTime));
        Assert.Equal(new DateOnly(2027, 5, 14), DateOnly.FromDateTime(planner.Plan("region-vasterbotten", 2028, version: november).Steps.Single(s => s.Key == "kickoff").Due.DateTime));
    }

    [Fact]
    public void Load_Refuses_ASecondFileWithTheSameVersion()
    {
        var version = WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm).FindDefinition("region-vasterbotten")!.Version;
        var copy = AddVersion(version, "{ \"from\": 2030 }", kickoffDay: 20);

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(copy)}:{_copy.PositionOf(copy, "\"version\": ", 11)}: version {version} of workflow 'region-vasterbotten' is already defined by {_copy.PathOf(Vb)}; give this file another version", problem);
    }

    [Fact]
    public void Load_Refuses_AnAppliesToThatEndsBeforeItStarts()
    {
        var copy = AddVersion(99, "{ \"from\": 2030, \"to\": 2029 }", kickoffDay: 20);

        var problem = Assert.Single(Load().Problems);

        Assert.Equal($"{_copy.PathOf(copy)}:{_copy.PositionOf(copy, "\"to\": ", 6)}: 'appliesTo' of the workflow definition: 'to' (2029) is before 'from' (2030)", problem);
    }

    [Fact]
    public void Load_Refuses_AVersionForAnotherOrganisation()
    {
        var copy = AddVersion(99, "{ \"from\": 2030 }", kickoffDay: 20);
        _copy.Replace(copy, "\"organisation\": \"region-vasterbotten\"", "\"organisation\": \"region-norrbotten\"");
        var problems = Load().Problems;

        Assert.Contains(problems, p => p.StartsWith($"{_copy.PathOf(copy)}:", StringComparison.Ordinal)
            && p.EndsWith("every version of a workflow plans the same organisation", StringComparison.Ordinal));
    }

    /// <summary>A copy of the November process as another version, with its kick-off on another day of May.</summary>
    private string AddVersion(int version, string appliesTo, int kickoffDay)
    {
        const string Name = "region-vasterbotten.next.json"; // loads after region-vasterbotten.json
        File.Copy(_copy.PathOf(Vb), _copy.PathOf(Name));
        var current = File.ReadAllText(_copy.PathOf(Name));
        var versionText = System.Text.RegularExpressions.Regex.Match(current, "\"version\": [0-9]+,").Value;
        _copy.Replace(Name, versionText, $"\"version\": {version},");
        _copy.Replace(Name, "\"appliesTo\": { \"from\": 2025 }", $"\"appliesTo\": {appliesTo}");
        _copy.Replace(Name, "\"due\": { \"year\": -1, \"month\": 5, \"day\": 16 }", $"\"due\": {{ \"year\": -1, \"month\": 5, \"day\": {kickoffDay} }}");
        return Name;
    }

    private WorkflowCatalog Load() => WorkflowCatalog.Load(_copy.Folder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
}
