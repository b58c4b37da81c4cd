using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The process measures itself (§ 105's aim: shorter lead times): two budget years of hälso- och sjukvårdsnämndens
/// nämndplan, 20 days and 6 days late in cycle 2025, 12 days on time in cycle 2026. The process owner's Ledtider page
/// shows both years side by side with the change, and its two downloads carry the same numbers.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiLeadTimesTests
{
    private const string Organisation = "region-vasterbotten";

    [Fact]
    public async Task LeadTimesPage_ComparesTheYears_PerStepAndNamnd_AndDownloadsTheSameAsCsvAndXlsx()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "lead-times";
        var ownerId = (await host.ActorAsync("processagare@demo.local")).UserId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            // Opened 08:00 local (07:00 UTC); due at the end of 10 December; completed 08:00 local.
            AddCompletedCycle(db, ownerId, 2025, opened: new DateTime(2024, 11, 26, 7, 0, 0, DateTimeKind.Utc), due: new DateTime(2024, 12, 10, 22, 59, 0, DateTimeKind.Utc), completed: new DateTime(2024, 12, 16, 7, 0, 0, DateTimeKind.Utc));
            AddCompletedCycle(db, ownerId, 2026, opened: new DateTime(2025, 11, 26, 7, 0, 0, DateTimeKind.Utc), due: new DateTime(2025, 12, 10, 22, 59, 0, DateTimeKind.Utc), completed: new DateTime(2025, 12, 8, 7, 0, 0, DateTimeKind.Utc));
            await db.SaveChangesAsync();
        }

        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync("/ledtider");
        await UiHost.WaitInteractiveAsync(owner);

        var table = owner.Locator("[data-testid=lead-times]");
        await Assertions.Expect(table.Locator("thead")).ToContainTextAsync("2025");
        await Assertions.Expect(table.Locator("thead")).ToContainTextAsync("2026");
        var row = owner.Locator("[data-testid=lead-time-row][data-step=namndplan][data-body=HSN]");
        var cells = row.Locator("td");
        await Assertions.Expect(cells).ToHaveTextAsync(["Nämndplan beslutas", "Hälso- och sjukvårdsnämnden", "20 dagar (1 sent, i snitt 6 dagar)", "12 dagar", "−8 dagar"]);
        await UiHost.ScreenshotAsync(owner, "lead-times-1280");

        var csvLink = await owner.Locator("[data-testid=lead-times-csv]").GetAttributeAsync("href");
        var csv = await owner.APIRequest.GetAsync(host.BaseUrl + csvLink);
        Assert.Equal(200, csv.Status);
        var text = System.Text.Encoding.UTF8.GetString(await csv.BodyAsync());
        Assert.Contains("region-vasterbotten;namndplan;Nämndplan beslutas;HSN;Hälso- och sjukvårdsnämnden;2025;1;20;1;6;\r\n", text, StringComparison.Ordinal);
        Assert.Contains("region-vasterbotten;namndplan;Nämndplan beslutas;HSN;Hälso- och sjukvårdsnämnden;2026;1;12;0;0;-8\r\n", text, StringComparison.Ordinal);

        var xlsxLink = await owner.Locator("[data-testid=lead-times-xlsx]").GetAttributeAsync("href");
        var xlsx = await owner.APIRequest.GetAsync(host.BaseUrl + xlsxLink);
        Assert.Equal(200, xlsx.Status);
        using var sheet = new MemoryStream(await xlsx.BodyAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        var last = Assert.Single(rows, r => (string?)r["Organ-id"] == "HSN" && Convert.ToInt32(r["Budgetår"], System.Globalization.CultureInfo.InvariantCulture) == 2026);
        Assert.Equal(12.0, Convert.ToDouble(last["Ledtid (dagar, medel)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(-8.0, Convert.ToDouble(last["Förändring mot föregående år (dagar)"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A finished cycle with one nämndplan, opened and confirmed through the one state changer at the given times.</summary>
    private static void AddCompletedCycle(AnnualCycleDbContext db, string ownerId, int year, DateTime opened, DateTime due, DateTime completed)
    {
        var cycle = new CycleEntity
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation, WorkflowId = Organisation, WorkflowVersion = 4, Year = year,
            Name = $"Region Västerbotten {year}", StartedAtUtc = opened.AddDays(-200), StartedByUserId = ownerId, Status = CycleStatus.Completed,
        };
        var step = new StepInstanceEntity
        {
            Id = Guid.NewGuid(), CycleId = cycle.Id, Key = "namndplan/HSN", StepId = "namndplan", Title = "Nämndplan beslutas",
            Kind = StepKind.Decision, BodyId = "HSN", Role = "controller", Phase = "budget", OpensAtUtc = opened, DueAtUtc = due,
        };
        step.Apply(StepAction.Open, ownerId, null, null, new At(opened));
        step.Apply(StepAction.Confirm, ownerId, null, "Beslutad", new At(completed));
        db.Cycles.Add(cycle);
        db.StepInstances.Add(step);
    }

    private sealed class At(DateTime now) : IStepJournal
    {
        public DateTime Now => now;

        public void Record(StepInstanceEntity step, StepTransition transition, string actorUserId, string? onBehalfOfUserId, string? comment, string? subject)
        {
        }
    }
}
