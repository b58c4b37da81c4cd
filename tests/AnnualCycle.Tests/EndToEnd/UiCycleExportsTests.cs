using AnnualCycle.Data;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// Beside Stratsys and the budget system: on the dashboard of Västerbotten's cycle 2027 the process owner's Exportera
/// menu offers the calendar, the status per body and the journal as Excel and CSV, and what it links to downloads.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiCycleExportsTests
{
    [Fact]
    public async Task Dashboard_ExportMenu_DownloadsTheCalendarAsCsv_AndTheStatusPerBodyAsXlsx()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "cycle-exports";
        await host.StartCycle2027Async();
        Guid cycleId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            cycleId = (await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Cycles.AsNoTracking().SingleAsync()).Id;
        }

        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync($"/cykler/{cycleId}");
        await UiHost.WaitInteractiveAsync(owner);
        await owner.ClickAsync("[data-testid=cycle-exports]");
        var items = owner.Locator(".mud-popover-open a.mud-menu-item, .mud-popover-open a");
        await Assertions.Expect(items.First).ToBeVisibleAsync();
        var links = await items.EvaluateAllAsync<string[]>("as => as.map(a => a.getAttribute('href'))");
        Assert.Equal(
            ["calendar?format=xlsx", "calendar?format=csv", "status?format=xlsx", "status?format=csv", "journal?format=xlsx", "journal?format=csv"],
            links.Distinct().Select(l => l[(l.LastIndexOf('/') + 1)..]));
        await UiHost.ScreenshotAsync(owner, "cycle-exports-1280");

        var calendar = await owner.APIRequest.GetAsync(host.BaseUrl + links.First(l => l.EndsWith("calendar?format=csv", StringComparison.Ordinal)));
        Assert.Equal(200, calendar.Status);
        var csv = System.Text.Encoding.UTF8.GetString(await calendar.BodyAsync());
        Assert.StartsWith("\uFEFFNyckel;Steg;Organ-id;Organ;Fas;Typ;Öppnar;Sista dag;Status;Försenad;Lagstadgad;Klar;Underlag (länk)\r\n", csv, StringComparison.Ordinal);
        Assert.Contains("\r\nnamndplan/HSN;Nämndplan beslutas;HSN;Hälso- och sjukvårdsnämnden;", csv, StringComparison.Ordinal);

        var status = await owner.APIRequest.GetAsync(host.BaseUrl + links.First(l => l.EndsWith("status?format=xlsx", StringComparison.Ordinal)));
        Assert.Equal(200, status.Status);
        using var sheet = new MemoryStream(await status.BodyAsync());
        var rows = sheet.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Contains(rows, r => (string?)r["Organ-id"] == "RS");
        Assert.Contains(rows, r => (string?)r["Organ-id"] == "HSN");
    }
}
