using AnnualCycle.Data;
using AnnualCycle.Data.Meetings;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// Issue 12: after a meeting-calendar import left a running cycle's dates unresolvable, Flytta on a step page answered
/// "Ett fel inträffade" (the circuit died). Now the page says why, in Swedish, and stays usable.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiUnresolvablePlanTests
{
    [Fact]
    public async Task Flytta_WhenTheMeetingCalendarNoLongerResolvesTheCycle_SaysWhy_AndThePageStaysUsable()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "unresolvable-plan";
        var stepId = await host.StartCycle2027Async();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // What an import of regionstyrelsen's 2026 meetings with one January date leaves behind.
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.ImportedMeetings.Add(new ImportedMeetingEntity
            {
                Id = Guid.NewGuid(), OrganisationId = "region-vasterbotten", Year = 2026, BodyId = "RS", Date = new DateOnly(2026, 1, 15),
                ImportedAtUtc = DateTime.UtcNow, ImportedByUserId = "test",
            });
            await db.SaveChangesAsync();
        }

        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(owner);
        var due = owner.GetByLabel("Nytt sista datum");
        await due.FillAsync("2026-12-28");
        await due.PressAsync("Tab");
        await owner.ClickAsync("[data-testid=reschedule-button]");

        await Assertions.Expect(owner.GetByText("sammanträdesplanen", new PageGetByTextOptions { Exact = false }).First).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
        await UiHost.ScreenshotAsync(owner, "owner-reschedule-unresolvable-1280");

        // The circuit lives on: the page still acts (Flytta again answers the same way, no reload needed).
        await owner.ClickAsync("[data-testid=reschedule-button]");
        await Assertions.Expect(owner.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-testid=step-due]")).ToContainTextAsync("2026-12-30");
    }
}
