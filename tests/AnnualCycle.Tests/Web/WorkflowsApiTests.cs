using System.Net;
using System.Text.Json;
using AnnualCycle.Tests.Domain.Definitions;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace AnnualCycle.Tests.Web;

[CollectionDefinition(nameof(WorkflowsApiCollection), DisableParallelization = true)]
public sealed class WorkflowsApiCollection;

/// <summary>The real app with its own data folder; Hangfire's process-wide state means these run alone.</summary>
[Collection(nameof(WorkflowsApiCollection))]
public sealed class WorkflowsApiTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "annualcycle-web-" + Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _disposables = [];

    public void Dispose()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: SQLite may still hold the file for a moment.
        }
    }

    [Fact]
    public async Task ListWorkflows_ReturnsTheShippedDefinitionsOfTheCallersOrganisation()
    {
        var client = (await ApiClient.SignedInAsync(App(), "processagare@demo.local"));

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/workflows"));

        // Region Norrbotten's definition is shipped too, but the demo's process owner is of Region Västerbotten only.
        Assert.Equal(["region-vasterbotten"], json.RootElement.EnumerateArray().Select(w => w.GetProperty("id").GetString()).Order());
        Assert.Contains(json.RootElement.EnumerateArray().First().GetProperty("plannableYears").EnumerateArray(), y => y.GetInt32() == 2031);
    }

    [Fact]
    public async Task Preview_ReturnsThePlan_WithLocalInstants()
    {
        var client = (await ApiClient.SignedInAsync(App(), "processagare@demo.local"));

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/v1/workflows/region-vasterbotten/preview?year=2027"));

        var regionplan = json.RootElement.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("key").GetString() == "regionplan");
        Assert.Equal("2026-11-24T23:59:00+01:00", regionplan.GetProperty("due").GetString());
        Assert.Equal(2027, json.RootElement.GetProperty("year").GetInt32());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?year=abc")]
    [InlineData("?year=2045")]
    [InlineData("?year=2022")] // Västerbotten's earliest version is for budget year 2023
    [InlineData("?year=99999")] // no calendar holds it (issue 12: it was a 500)
    [InlineData("?year=2101")]
    public async Task Preview_Returns400NamingYear_WhenYearIsMissingOrNotPlannable(string query)
    {
        var response = await (await ApiClient.SignedInAsync(App(), "processagare@demo.local")).GetAsync("/api/v1/workflows/region-vasterbotten/preview" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty("year", out _));
    }

    [Fact]
    public async Task Preview_Returns404Problem_ForAnUnknownWorkflow()
    {
        var response = await (await ApiClient.SignedInAsync(App(), "processagare@demo.local")).GetAsync("/api/v1/workflows/region-gotland/preview?year=2027");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Ready_IsDegradedWithTheProblems_WhenADefinitionIsInvalid_AndValidOnesStillLoad()
    {
        var copy = new WorkflowsCopy();
        _disposables.Add(copy);
        copy.Replace("region-norrbotten.json", "\"waitsFor\": [\"arsrapport\"]", "\"waitsFor\": [\"arsraport\"]");
        var client = (await ApiClient.SignedInAsync(App(copy.Folder), "processagare@demo.local"));

        var response = await client.GetAsync("/health/ready");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var definitions = json.RootElement.GetProperty("checks").GetProperty("definitions");
        Assert.Equal("Degraded", definitions.GetProperty("status").GetString());
        var problem = Assert.Single(definitions.GetProperty("data").GetProperty("problems").EnumerateArray());
        Assert.Equal(
            $"{copy.PathOf("region-norrbotten.json")}:{copy.PositionOf("region-norrbotten.json", "\"arsraport\"")}: unknown step 'arsraport' in 'waitsFor' of step 'arsrapport-overlamnas'",
            problem.GetString());
        using var list = JsonDocument.Parse(await client.GetStringAsync("/api/v1/workflows"));
        Assert.Equal(["region-vasterbotten"], list.RootElement.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Workflows_Answer401_WithoutSignIn()
    {
        var response = await App().CreateClient().GetAsync("/api/v1/workflows/region-vasterbotten/preview?year=2027");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private WebApplicationFactory<Program> App(string? workflows = null)
    {
        var settings = new Dictionary<string, string?> { ["DataFolder"] = _data };
        if (workflows is not null)
        {
            settings["Workflows:Folder"] = workflows;
        }

        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            // UseSetting, not ConfigureAppConfiguration: the host reads DataFolder while building its services,
            // before configuration added that way is applied (it would fall back to data/ under the test's bin).
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        _disposables.Add(factory);
        return factory;
    }
}
