using System.Text.Json;
using System.Text.RegularExpressions;
using AnnualCycle.Cli;
using AnnualCycle.Tests.Domain.Definitions;

namespace AnnualCycle.Tests.Cli;

public class CliAppTests
{
    [Fact]
    public async Task Validate_Exits0_ForTheShippedWorkflows()
    {
        var (code, stdout, _) = await Run("validate");

        Assert.Equal(0, code);
        Assert.StartsWith("OK: 5 workflow version(s) of 2 workflow(s), 2 organisation(s) in ", stdout);
    }

    [Fact]
    public async Task Validate_Exits1AndPrintsOneLinePerProblem_ForABrokenFile()
    {
        using var copy = new WorkflowsCopy();
        copy.Replace("region-norrbotten.json", "\"waitsFor\": [\"arsrapport\"]", "\"waitsFor\": [\"arsraport\"]");
        copy.Replace("region-norrbotten.json", "\"kind\": \"meeting\"", "\"kind\": \"meting\"");
        var file = copy.PathOf("region-norrbotten.json");

        var (code, stdout, _) = await Run("validate", file);

        Assert.Equal(1, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("2 problem(s).", lines[2]);
        Assert.Equal($"{file}:{copy.PositionOf("region-norrbotten.json", "\"meting\"")}: 'kind' in step 'information-rf' must be one of task, approval, meeting, milestone, decision, not 'meting'", lines[0]);
        Assert.Equal($"{file}:{copy.PositionOf("region-norrbotten.json", "\"arsraport\"")}: unknown step 'arsraport' in 'waitsFor' of step 'arsrapport-overlamnas'", lines[1]);
    }

    [Fact]
    public async Task Validate_Exits1_WhenWhoeverDoesAStepAlsoApprovesIt_NamingTheApprovalsLine()
    {
        using var copy = new WorkflowsCopy();
        // Västerbotten's nämndplan: the förvaltning's controller writes it; here its director would both write and sign it.
        copy.Replace("region-vasterbotten.json",
            "\"title\": \"Nämndplan beslutas\",\n      \"kind\": \"decision\",\n      \"phase\": \"budget\",\n      \"who\": { \"body\": \"$administration\", \"role\": \"controller\" },",
            "\"title\": \"Nämndplan beslutas\",\n      \"kind\": \"decision\",\n      \"phase\": \"budget\",\n      \"who\": { \"body\": \"$administration\", \"role\": \"forvaltningsdirektor\" },");
        var file = copy.PathOf("region-vasterbotten.json");

        var (code, stdout, _) = await Run("validate", file);

        Assert.Equal(1, code);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal("1 problem(s).", lines[^1]);
        Assert.Matches($"^{Regex.Escape(file)}:[0-9]+:[0-9]+: approval 1 of step 'namndplan' is given by forvaltningsdirektor in RSF, who also does the step \\('who'\\): whoever does a step may not approve it", lines[0]);
    }

    [Fact]
    public async Task Validate_ChecksAFolder_AndAnOrganisationFile()
    {
        using var copy = new WorkflowsCopy();
        copy.Replace("organisations/region-norrbotten.json", "\"kind\": \"committee\", \"example\": true, \"roles\": [{\"id\": \"namnd\", \"title\": \"Nämnden (vid sammanträde)\"}, {\"id\": \"sekreterare\", \"title\": \"Nämndsekreterare\"}]},\n    {\"id\": \"PN\"",
            "\"kind\": \"nämnd\", \"example\": true, \"roles\": [{\"id\": \"namnd\", \"title\": \"Nämnden (vid sammanträde)\"}, {\"id\": \"sekreterare\", \"title\": \"Nämndsekreterare\"}]},\n    {\"id\": \"PN\"");

        var (folderCode, folderOut, _) = await Run("validate", copy.Folder);
        var (fileCode, fileOut, _) = await Run("validate", copy.PathOf("organisations/region-norrbotten.json"));

        Assert.Equal(1, folderCode);
        Assert.Contains("'kind' in body 'RUN' must be one of", folderOut);
        Assert.Contains("unknown organisation 'region-norrbotten'", folderOut);
        Assert.Equal(1, fileCode);
        Assert.Equal(2, fileOut.TrimEnd().Split('\n').Length); // the problem and the count
    }

    [Fact]
    public async Task UnknownVerb_PrintsUsageOnStderr_AndExits2()
    {
        var (code, stdout, stderr) = await Run("frobnicate");

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("Unknown verb 'frobnicate'", stderr);
        Assert.Contains("Usage:", stderr);
    }

    [Fact]
    public async Task Preview_WithoutYear_Exits2()
    {
        var (code, _, stderr) = await Run("preview", "region-vasterbotten");

        Assert.Equal(2, code);
        Assert.Contains("--year", stderr);
    }

    [Fact]
    public async Task Preview_UnknownWorkflow_Exits1()
    {
        var (code, _, stderr) = await Run("preview", "region-gotland", "--year", "2027");

        Assert.Equal(1, code);
        Assert.Contains("No valid workflow definition 'region-gotland'", stderr);
    }

    [Fact]
    public async Task PreviewJson_PrintsOneObjectWithLocalInstants()
    {
        var (code, stdout, _) = await Run("preview", "region-vasterbotten", "--year", "2027", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("region-vasterbotten", root.GetProperty("workflow").GetString());
        Assert.Equal(2027, root.GetProperty("year").GetInt32());
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        var regionplan = steps.Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Equal("2026-11-24T23:59:00+01:00", regionplan.GetProperty("due").GetString());
        Assert.Equal("Nyvalda regionfullmäktige beslutar regionplan med budget, investeringsplan och investeringsram", regionplan.GetProperty("title").GetString()); // 2026 is an election year
        Assert.Equal(["budgetforslag"], regionplan.GetProperty("dependsOn").EnumerateArray().Select(e => e.GetString()));
        var iso = new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+0[12]:00$");
        Assert.All(steps, s =>
        {
            foreach (var name in new[] { "stepId", "title", "kind", "body", "approvals" })
            {
                Assert.True(s.TryGetProperty(name, out _), name);
            }

            Assert.Matches(iso, s.GetProperty("opens").GetString()!);
            Assert.Matches(iso, s.GetProperty("due").GetString()!);
            Assert.All(s.GetProperty("reminders").EnumerateArray(), r => Assert.Matches(iso, r.GetString()!));
        });
        Assert.Equal(0, root.GetProperty("warnings").GetArrayLength());
        Assert.Equal(2026, root.GetProperty("election").GetProperty("year").GetInt32());
        Assert.Equal("2026-09-13", root.GetProperty("election").GetProperty("electionDay").GetString());
        Assert.Equal("electionYear", steps.Single(s => s.GetProperty("key").GetString() == "skattesats-forslag").GetProperty("variant").GetString());
    }

    [Fact]
    public async Task PreviewJson_For2023_PlansSeed001sVersion_WithPeriodEndsAndStatutes()
    {
        var (code, stdout, stderr) = await Run("preview", "region-vasterbotten", "--year", "2023", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.Equal("2023", root.GetProperty("appliesTo").GetString());
        var steps = root.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.StartsWith("2022-02-09T", steps["kickoff"].GetProperty("due").GetString());
        Assert.Contains("seed 001 avsnitt 6.4", steps["kickoff"].GetProperty("source").GetString());
        Assert.Equal("2023-08-31", steps["delarsrapport-overlamnas"].GetProperty("periodEnd").GetString());
        Assert.Equal("2023-04-30", steps["delarsrapport-april-namnd/HSN"].GetProperty("periodEnd").GetString());
        Assert.Equal(JsonValueKind.Null, steps["kickoff"].GetProperty("periodEnd").ValueKind);
        Assert.Equal("budget", steps["regionplan"].GetProperty("statutoryRule").GetString());
        Assert.StartsWith("Kommunallagen (2017:725) 11 kap.", steps["regionplan"].GetProperty("statute").GetString());
    }

    [Fact]
    public async Task PreviewJson_For2024_PlansTheTransitionYear_WithTheDatesOfSeeds000And004()
    {
        var (code, stdout, stderr) = await Run("preview", "region-vasterbotten", "--year", "2024", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        var steps = root.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!);
        Assert.StartsWith("2023-05-16T", steps["kickoff"].GetProperty("due").GetString());
        Assert.StartsWith("2023-11-20T", steps["regionplan"].GetProperty("due").GetString());
        Assert.StartsWith("2023-12-", steps["namndplan/HSN"].GetProperty("due").GetString());
        Assert.StartsWith("2024-09-30T", steps["oversyn-budgetprocess"].GetProperty("due").GetString());
        Assert.Equal("2024-04-30", steps["manadsrapport#3/HSN"].GetProperty("periodEnd").GetString());
        Assert.Equal("2024-12-31", steps["arsredovisning-overlamnas"].GetProperty("periodEnd").GetString());
        Assert.Equal("arsredovisning", steps["arsredovisning-overlamnas"].GetProperty("statutoryRule").GetString());
        Assert.Equal("Kommunallagen (2017:725) 11 kap. 20 §", steps["arsredovisning-overlamnas"].GetProperty("statute").GetString());
        Assert.All(steps.Values, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("source").GetString()), s.GetProperty("key").GetString()));
        Assert.Equal(0, root.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task Preview_WithAVersionThatDoesNotApplyToTheYear_Exits1_NamingTheVersions()
    {
        var (code, _, stderr) = await Run("preview", "region-vasterbotten", "--year", "2027", "--version", "3");

        Assert.Equal(1, code);
        Assert.Contains("does not apply to budget year 2027", stderr);
        Assert.Contains("v3 (2024)", stderr);
        Assert.Equal(2, (await Run("preview", "region-vasterbotten", "--year", "2027", "--version", "tre")).Code);
    }

    [Fact]
    public async Task PreviewTable_ShowsTheElectionYearHandling()
    {
        var (code, stdout, _) = await Run("preview", "region-norrbotten", "--year", "2031");

        Assert.Equal(0, code);
        Assert.Contains("Valår 2030: allmänna val 2030-09-08, nyvalda fullmäktige från 2030-10-15.", stdout);
        Assert.Contains("budget-nyvalda *", stdout);
        Assert.Contains("Inga varningar mot lagens tidsfrister.", stdout);
    }

    [Fact]
    public async Task PreviewTable_ShowsStatutoryWarnings_WhenThePlanBreaksARule()
    {
        using var copy = new WorkflowsCopy();
        copy.Replace("region-vasterbotten.json", "\"due\": { \"meeting\": { \"body\": \"RF\", \"year\": -1, \"month\": 11, \"which\": \"last\" } }", "\"due\": { \"year\": -1, \"month\": 12, \"day\": 2 }");

        var (code, stdout, _) = await Run("preview", "region-vasterbotten", "--year", "2026", "--Workflows:Folder", copy.Folder);

        Assert.Equal(0, code);
        Assert.Contains("! [budget] regionplan: Budgeten för 2026 fastställs 2025-12-02, efter november månads utgång 2025. (Kommunallagen (2017:725) 11 kap. 10 §; 5 kap. 9 §)", stdout);
    }

    [Fact]
    public async Task VerifyJournal_WithoutADatabase_SaysSo_Exits1_AndCreatesNothing()
    {
        var root = Directory.CreateTempSubdirectory("annualcycle-verify-").FullName;
        try
        {
            var folder = Path.Combine(root, "data");

            var (code, stdout, stderr) = await Run("verify-journal", "--DataFolder", folder);

            Assert.Equal(1, code);
            Assert.Equal(string.Empty, stdout);
            Assert.Contains($"No database at {Path.Combine(folder, "annualcycle.db")}: nothing to verify.", stderr);
            Assert.False(Directory.Exists(folder), "verify-journal created the data folder");
            Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
