using System.Text;
using AnnualCycle.Runtime.Meetings;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>The process owner imports a year's sammanträdesplan: a bad file shows its errors by line, a good one is previewed, then stored.</summary>
[Collection(HostCollection.Name)]
public sealed class UiMeetingImportTests
{
    private const string Organisation = "region-vasterbotten";

    [Fact]
    public async Task ProcessOwner_SeesLineNumberedErrors_ThenPreviewsAndStoresAGoodCsv()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "meetings";
        var page = await host.SignInAsync("processagare@demo.local");
        await page.ClickAsync("a[href='/admin/sammantraden']");
        await page.WaitForURLAsync(host.BaseUrl + "/admin/sammantraden");
        await UiHost.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=meetings-year]")).ToContainTextAsync("2027");
        var file = page.GetByLabel("Välj sammanträdesfil (.csv eller .ics)");

        await file.SetInputFilesAsync(Csv("bad.csv", "body,date,title\nRF,2027-03-15,Bra\nRF,2027-02-30,Fel datum\nXX,2027-04-01,Okänt organ\n"));
        var errors = page.Locator("[data-testid=meeting-errors]");
        await Assertions.Expect(errors).ToContainTextAsync("rad 3:4");
        await Assertions.Expect(errors).ToContainTextAsync("rad 4:1");
        // In Swedish, naming no internal id (issue 15: "'2027-02-30' is not a date", "unknown body 'XX' in region-vasterbotten").
        await Assertions.Expect(errors).ToContainTextAsync("rad 3:4: '2027-02-30' är inget datum (åååå-mm-dd)");
        await Assertions.Expect(errors).ToContainTextAsync("rad 4:1: okänt organ 'XX' i organisationen");
        await Assertions.Expect(errors).Not.ToContainTextAsync(new System.Text.RegularExpressions.Regex("is not a date|unknown body|region-vasterbotten"));
        await Assertions.Expect(page.Locator("[data-testid=meeting-confirm]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(page, "meetings-errors-1280");

        await file.SetInputFilesAsync(Csv("sammantraden-2027.csv", "organ;datum;rubrik\nRF;2027-03-15;Extra fullmäktige\nRS;2027-03-02;Styrelsemöte\n"));
        await Assertions.Expect(page.Locator("[data-testid=meeting-errors]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=meeting-preview] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=meeting-preview-summary]")).ToContainTextAsync("Inget är sparat ännu");
        // A dry run: nothing stored yet.
        Assert.False((await CalendarAsync(host)).Imported);
        await UiHost.ScreenshotAsync(page, "meetings-preview-1280");

        await page.ClickAsync("[data-testid=meeting-confirm]");
        await Assertions.Expect(page.GetByText("2 sammanträden sparade.")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=meeting-calendar] tr[data-body=RF][data-date='2027-03-15']")).ToContainTextAsync("Importerad");
        var stored = await CalendarAsync(host);
        Assert.True(stored.Imported);
        Assert.Contains(stored.Meetings, m => m.BodyId == "RF" && m.Date == new DateOnly(2027, 3, 15) && m.Source == "import");

        var phone = await host.SignInAsync("processagare@demo.local", width: 390);
        await phone.GotoAsync("/admin/sammantraden");
        await UiHost.WaitInteractiveAsync(phone);
        await Assertions.Expect(phone.Locator("[data-testid=meeting-calendar]")).ToBeVisibleAsync();
        await UiHost.AssertNoHorizontalOverflowAsync(phone);
        await UiHost.ScreenshotAsync(phone, "meetings-390");

        // A contributor may not import: access denied.
        var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        await contributor.GotoAsync("/admin/sammantraden");
        await Assertions.Expect(contributor.Locator("[data-testid=access-denied]")).ToBeVisibleAsync();
        await Assertions.Expect(contributor.Locator("[data-testid=meeting-file]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ImportThatMovesARunningCyclesDates_ShowsTheImpact_AndSavesOnlyThroughTheConfirmDialog_ThenUndoes()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "meetings-impact";
        await host.StartCycle2027Async();
        var page = await host.SignInAsync("processagare@demo.local");
        await page.GotoAsync("/admin/sammantraden");
        await UiHost.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=meetings-year]")).ToContainTextAsync("2027");
        Assert.Equal(new DateOnly(2027, 4, 20), await DueAsync(host, "tillaggsbudget"));

        // Regionfullmäktige's April meeting a week earlier: the tilläggsbudget of the running cycle 2027 moves with it.
        await page.GetByLabel("Välj sammanträdesfil (.csv eller .ics)").SetInputFilesAsync(
            Csv("rf-2027.csv", "organ;datum;rubrik\nRF;2027-02-16;Fullmäktige\nRF;2027-04-13;Fullmäktige\nRF;2027-06-08;Fullmäktige\nRF;2027-09-28;Fullmäktige\nRF;2027-11-30;Fullmäktige\n"));
        var moved = page.Locator("[data-testid=meeting-impact] li[data-key=tillaggsbudget]");
        await Assertions.Expect(moved).ToHaveTextAsync("Regionfullmäktige beslutar tilläggsbudget (vid behov) (Regionfullmäktige): sista dag 2027-04-20 → 2027-04-13");
        await UiHost.ScreenshotAsync(page, "meetings-impact-1280");

        // Spara asks first; Avbryt saves nothing.
        await page.ClickAsync("[data-testid=meeting-confirm]");
        var dialog = page.Locator("[data-testid=meeting-confirm-dialog]");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("2027-04-20 → 2027-04-13");
        await UiHost.ScreenshotAsync(page, "meetings-confirm-1280");
        await page.ClickAsync("[data-testid=meeting-confirm-cancel]");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.False((await CalendarAsync(host)).Imported);
        Assert.Equal(new DateOnly(2027, 4, 20), await DueAsync(host, "tillaggsbudget"));

        await page.ClickAsync("[data-testid=meeting-confirm]");
        await page.ClickAsync("[data-testid=meeting-confirm-save]");
        await Assertions.Expect(page.GetByText("5 sammanträden sparade.")).ToBeVisibleAsync();
        Assert.Equal(new DateOnly(2027, 4, 13), await DueAsync(host, "tillaggsbudget"));
        await Assertions.Expect(page.Locator("[data-testid=meeting-versions] li[data-version='1']")).ToContainTextAsync("Processägare (ekonomistaben)");

        // Undo: the same dry run and dialog, back to the organisation file's meetings.
        await page.ClickAsync("[data-testid=meeting-undo]");
        await Assertions.Expect(page.Locator("[data-testid=meeting-impact] li[data-key=tillaggsbudget]")).ToContainTextAsync("2027-04-13 → 2027-04-20");
        await page.ClickAsync("[data-testid=meeting-confirm]");
        await page.ClickAsync("[data-testid=meeting-confirm-save]");
        await Assertions.Expect(page.GetByText("Inläsningen är ångrad.")).ToBeVisibleAsync();
        Assert.Equal(new DateOnly(2027, 4, 20), await DueAsync(host, "tillaggsbudget"));
        await Assertions.Expect(page.Locator("[data-testid=meeting-versions] li[data-version='2']")).ToContainTextAsync("återställer version 0");
    }

    [Fact]
    public async Task ImportThatLeavesARunningCycleWithoutADate_IsRefused_WithoutASaveButton()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "meetings-refused";
        await host.StartCycle2027Async();
        var page = await host.SignInAsync("processagare@demo.local");
        await page.GotoAsync("/admin/sammantraden");
        await UiHost.WaitInteractiveAsync(page);

        await page.GetByLabel("Välj sammanträdesfil (.csv eller .ics)").SetInputFilesAsync(Csv("rf-utan-april.csv", "organ;datum\nRF;2027-02-16\nRF;2027-06-08\nRF;2027-09-28\nRF;2027-11-30\n"));

        await Assertions.Expect(page.Locator("[data-testid=meeting-refused]")).ToContainTextAsync("Regionfullmäktige beslutar tilläggsbudget (vid behov)");
        await Assertions.Expect(page.Locator("[data-testid=meeting-impact] li[data-key=tillaggsbudget][data-change=unresolved]")).ToContainTextAsync("första sammanträdet för RF i april 2027 finns inte");
        await Assertions.Expect(page.Locator("[data-testid=meeting-confirm]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(page, "meetings-refused-1280");
    }

    private static async Task<DateOnly> DueAsync(UiHost host, string key)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycle.Data.AnnualCycleDbContext>();
        var due = db.StepInstances.Single(s => s.Key == key).DueAtUtc;
        return TestZone.Stockholm.LocalDate(due);
    }

    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    private static async Task<MeetingCalendarDto> CalendarAsync(UiHost host)
    {
        var owner = await host.ActorAsync("processagare@demo.local");
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MeetingCalendarQuery>().HandleAsync(owner, Organisation, 2027);
    }
}
