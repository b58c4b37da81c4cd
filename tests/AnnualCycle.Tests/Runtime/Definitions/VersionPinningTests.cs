using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Definitions;

/// <summary>
/// A running cycle keeps the definition version it started with: the cycle row stores it, and re-planning (moving a
/// step) plans that version even after a newer version for the same years has been loaded. A version that is no
/// longer loaded is refused (409), never silently swapped for another.
/// </summary>
public sealed class VersionPinningTests : IDisposable
{
    private const string Workflow = "test-arshjul";
    private readonly string _folder = Directory.CreateTempSubdirectory("annualcycle-versions-").FullName;
    private readonly SwitchablePlanner _planner = new();

    public VersionPinningTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, WorkflowCatalog.OrganisationsFolder));
        File.WriteAllText(Path.Combine(_folder, WorkflowCatalog.OrganisationsFolder, "region-test.json"), Organisation);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Reschedule_PlansTheCyclesOwnVersion_WhenANewerVersionAppliesToItsYear()
    {
        WriteVersion(1, "{ \"from\": 2025 }", workingDaysToDecision: 5);
        await using var h = await HarnessAsync();
        var cycle = await StartAsync(h);
        Assert.Equal(1, cycle.WorkflowVersion);

        WriteVersion(2, "{ \"from\": 2027 }", workingDaysToDecision: 10);
        Reload();
        Assert.Equal(2, _planner.Plan(Workflow, 2027).WorkflowVersion);

        var result = await MoveAsync(h, "forberedelse", new DateOnly(2026, 9, 22));

        // Version 1 puts the decision 5 working days after the preparation; version 2 would put it 10 after.
        var decision = Assert.Single(result.Moved, m => m.Key == "beslut" && m.Field == "due");
        Assert.Equal(new DateOnly(2026, 9, 29), StockholmTime.Default.LocalDate(new DateTimeOffset(decision.NewUtc, TimeSpan.Zero)));
        Assert.Equal(1, await h.DbAsync(db => db.Cycles.AsNoTracking().Where(c => c.Id == cycle.Id).Select(c => c.WorkflowVersion).SingleAsync()));
    }

    [Fact]
    public async Task Reschedule_Returns409_WhenTheCyclesVersionIsNoLongerLoaded()
    {
        WriteVersion(1, "{ \"from\": 2025 }", workingDaysToDecision: 5);
        await using var h = await HarnessAsync();
        await StartAsync(h);

        File.Delete(Path.Combine(_folder, "v1.json"));
        WriteVersion(2, "{ \"from\": 2025 }", workingDaysToDecision: 10);
        Reload();

        var ex = await Assert.ThrowsAsync<ConflictException>(() => MoveAsync(h, "forberedelse", new DateOnly(2026, 9, 22)));
        Assert.Contains("version 1 of test-arshjul, which is no longer loaded", ex.Message);
    }

    private async Task<EngineHarness> HarnessAsync()
    {
        Reload();
        return await EngineHarness.SqliteAsync(configure: (services, _) => services.AddSingleton<ICyclePlanner>(_planner));
    }

    private void Reload()
    {
        var catalog = WorkflowCatalog.Load(_folder, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
        Assert.Empty(catalog.Problems);
        _planner.Inner = new CyclePlanner(catalog, AnnualCycle.Tests.Infrastructure.TestZone.Stockholm);
    }

    private static async Task<CycleSummaryDto> StartAsync(EngineHarness h)
    {
        var po = await h.ActorAsync(EngineHarness.ProcessOwner);
        return await h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x => x.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, Workflow, 2027)));
    }

    private static async Task<RescheduleResultDto> MoveAsync(EngineHarness h, string key, DateOnly due)
    {
        var step = await h.DbAsync(db => db.StepInstances.AsNoTracking().SingleAsync(s => s.Key == key));
        var po = await h.ActorAsync(EngineHarness.ProcessOwner);
        return await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, due, null)));
    }

    private void WriteVersion(int version, string appliesTo, int workingDaysToDecision) =>
        File.WriteAllText(Path.Combine(_folder, $"v{version}.json"), $$"""
            {
              "id": "{{Workflow}}", "name": "Testårshjul", "version": {{version}}, "organisation": "{{FakeCyclePlanner.OrganisationId}}",
              "appliesTo": {{appliesTo}},
              "steps": [
                { "id": "forberedelse", "title": "Förberedelse", "kind": "task", "phase": "planering", "who": { "body": "ES" },
                  "opens": { "year": -1, "month": 8, "day": 17 }, "due": { "year": -1, "month": 9, "day": 15 }, "source": "test" },
                { "id": "beslut", "title": "Beslut", "kind": "decision", "phase": "budget", "who": { "body": "RS" }, "waitsFor": ["forberedelse"],
                  "due": { "after": "forberedelse", "workingDays": {{workingDaysToDecision}} }, "source": "test" }
              ]
            }
            """);

    /// <summary>The bodies of the engine harness's people, with a sammanträdesplan that covers budget year 2027.</summary>
    private const string Organisation = """
        {
          "id": "region-test", "name": "Region Test",
          "bodies": [
            { "id": "RS", "name": "Regionstyrelsen", "kind": "board", "roles": [{ "id": "namnd", "title": "Styrelsen" }] },
            { "id": "ES", "name": "Ekonomistaben", "kind": "staff", "roles": [] },
            { "id": "HSN", "name": "Hälso- och sjukvårdsnämnden", "kind": "committee", "roles": [{ "id": "namnd", "title": "Nämnden" }] },
            { "id": "RUN", "name": "Regionala utvecklingsnämnden", "kind": "committee", "roles": [{ "id": "namnd", "title": "Nämnden" }] },
            { "id": "HSF", "name": "Hälso- och sjukvårdsförvaltningen", "kind": "administration", "serves": "HSN", "roles": [{ "id": "forvaltningsdirektor", "title": "Förvaltningsdirektör" }] },
            { "id": "RUF", "name": "Regional utveckling", "kind": "administration", "serves": "RUN", "roles": [{ "id": "forvaltningsdirektor", "title": "Förvaltningsdirektör" }] }
          ],
          "meetings": [
            { "body": "RS", "year": 2026, "dates": ["2026-03-24"], "example": true },
            { "body": "RS", "year": 2027, "dates": ["2027-03-23"], "example": true },
            { "body": "RS", "year": 2028, "dates": ["2028-03-28"], "example": true }
          ]
        }
        """;

    /// <summary>The host's planner, whose catalog the test reloads as a deployment would after the files change.</summary>
    private sealed class SwitchablePlanner : ICyclePlanner
    {
        public ICyclePlanner Inner { get; set; } = null!;

        public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null) =>
            Inner.Plan(workflowId, year, overrides, version);
    }
}
