using System.Text.RegularExpressions;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>The process owner's actions on a step page: reschedule (seeing what moved), skip with a required reason.</summary>
[Collection(HostCollection.Name)]
public sealed class UiProcessOwnerTests
{
    [Fact]
    public async Task ProcessOwner_ReschedulesAStep_SeesTheMovedDates_AndSkipsOnlyWithAReason()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "process-owner";
        var stepId = await host.StartCycle2027Async();

        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync($"/steg/{stepId}");
        await UiHost.WaitInteractiveAsync(owner);
        await Assertions.Expect(owner.Locator("[data-testid=submit-button]")).ToHaveCountAsync(0);

        var due = owner.GetByLabel("Nytt sista datum");
        // A deadline on juldagen: the preview names the step by title and body (never its key) and says why it is odd.
        await due.FillAsync("2026-12-25");
        await due.PressAsync("Tab");
        await owner.ClickAsync("[data-testid=reschedule-button]");
        var preview = owner.Locator("[data-testid=reschedule-preview]");
        await Assertions.Expect(preview).ToContainTextAsync("2026-12-30 → 2026-12-25");
        await Assertions.Expect(preview).ToContainTextAsync("Hälso- och sjukvårds");
        await Assertions.Expect(preview).Not.ToContainTextAsync(new Regex(@"[a-z\-]+/HSN"));
        await Assertions.Expect(owner.Locator("[data-testid=reschedule-warnings]")).ToContainTextAsync("2026-12-25, är juldagen och ingen arbetsdag");
        await owner.ClickAsync("[data-testid=reschedule-cancel]");
        await Assertions.Expect(owner.Locator("[data-testid=reschedule-warnings]")).ToHaveCountAsync(0);

        await due.FillAsync("2026-12-28");
        await due.PressAsync("Tab");
        await owner.ClickAsync("[data-testid=reschedule-button]");
        // Flytta first shows the preview of every date that would move; nothing is saved until Spara.
        await Assertions.Expect(owner.Locator("[data-testid=reschedule-preview]")).ToContainTextAsync("2026-12-30 → 2026-12-28");
        await Assertions.Expect(owner.Locator("[data-testid=step-due]")).ToContainTextAsync("2026-12-30");
        await UiHost.ScreenshotAsync(owner, "owner-reschedule-preview-1280");
        Assert.Equal(new DateOnly(2026, 12, 30), await DueDateAsync(host, stepId));
        await owner.ClickAsync("[data-testid=reschedule-save]");
        await Assertions.Expect(owner.Locator("[data-testid=moved-dates]")).ToContainTextAsync("2026-12-30 → 2026-12-28");
        Assert.Equal(new DateOnly(2026, 12, 28), await DueDateAsync(host, stepId));
        await Assertions.Expect(owner.Locator("[data-testid=step-due]")).ToContainTextAsync("2026-12-28");
        // The journal says it in Swedish local time (23:59 the evening before, not "2026-12-30 22:59:00Z"), and the
        // move is the system's note, not somebody's comment.
        var journal = owner.Locator("[data-testid=journal]");
        await Assertions.Expect(journal).ToContainTextAsync("Sista dag 2026-12-30");
        await Assertions.Expect(journal).Not.ToContainTextAsync(new Regex(@"\d{2}:\d{2}:\d{2}Z|opens |due "));
        await Assertions.Expect(owner.Locator("[data-testid=comments]")).ToHaveCountAsync(0);
        await UiHost.ScreenshotAsync(owner, "owner-rescheduled-1280");

        await owner.ClickAsync("[data-testid=skip-button]");
        await Assertions.Expect(owner.GetByText("Skriv en motivering först.")).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-state=Opened]").First).ToBeVisibleAsync();

        await owner.GetByLabel("Motivering (krävs)").FillAsync("Nämnden lämnar ingen plan i år");
        await owner.ClickAsync("[data-testid=skip-button]");
        await Assertions.Expect(owner.Locator("[data-state=Skipped]").First).ToBeVisibleAsync();
        await Assertions.Expect(owner.Locator("[data-testid=skip-button]")).ToHaveCountAsync(0);
        await Assertions.Expect(owner.Locator("[data-testid=comments]")).ToContainTextAsync("Nämnden lämnar ingen plan i år");
        await UiHost.ScreenshotAsync(owner, "owner-skipped-1280");
        // A step page with comments passes axe too (the every-page walk sees one without). The page's content, not the
        // snackbars: an older one fading out is partly transparent, which axe would measure as low contrast.
        var axe = await owner.Locator(".mud-main-content").RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html + " " + string.Join("; ", n.Any.Select(c => c.Message))))}").ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));

        // Påminn nu from the dashboard, on a step that is open and late.
        await owner.ClickAsync("a[href^='/cykler/']");
        await owner.WaitForURLAsync(new Regex(@"/cykler/[0-9a-f-]{36}$"));
        await UiHost.WaitInteractiveAsync(owner);
        var remind = owner.Locator("[data-testid=overdue-list] button", new PageLocatorOptions { HasText = "Påminn nu" }).First;
        await remind.ClickAsync();
        await Assertions.Expect(owner.GetByText("Påminnelse skickad.")).ToBeVisibleAsync();
    }

    private static async Task<DateOnly> DueDateAsync(UiHost host, Guid stepId)
    {
        var owner = await host.ActorAsync("processagare@demo.local");
        await using var scope = host.Services.CreateAsyncScope();
        var step = (await scope.ServiceProvider.GetRequiredService<GetStepQuery>().HandleAsync(owner, stepId)).Step;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(step.DueAtUtc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm")));
    }
}
