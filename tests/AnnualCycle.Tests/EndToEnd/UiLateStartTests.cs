using System.Text.RegularExpressions;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>
/// The process owner starts cycle 2027 on 23 November 2026 (the UI host's clock): the start page lists every step whose
/// deadline has passed before anything is started, and one decision marks them all done.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UiLateStartTests
{
    [Fact]
    public async Task StartPage_ListsThePassedSteps_AndMarksThemDone_WithOneDecision()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "late-start";
        var owner = await host.SignInAsync("processagare@demo.local");
        await owner.GotoAsync("/cykler/ny");
        await UiHost.WaitInteractiveAsync(owner);

        await owner.ClickAsync("[data-testid=preview-button]");
        await Assertions.Expect(owner.Locator("[data-testid=passed-steps-alert]")).ToContainTextAsync("Steg vars sista dag redan har passerat");
        var rows = owner.Locator("[data-testid=passed-step]");
        await Assertions.Expect(rows.First).ToBeVisibleAsync();
        Assert.Contains("planeringsforutsattningar", await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.key)"));
        var passed = await rows.CountAsync();
        await UiHost.ScreenshotAsync(owner, "late-start-passed-1280");

        await owner.ClickAsync("[data-testid=late-all]");
        await owner.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = "Markera som klara" }).ClickAsync();
        await owner.ClickAsync("[data-testid=confirm-start]");
        await owner.WaitForURLAsync(new Regex(@"/cykler/[0-9a-f-]{36}$"));

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var done = await db.Journal.AsNoTracking().CountAsync(j => j.Action == "MarkedDone");
        Assert.Equal(passed, done);
        Assert.Equal(StepState.Completed, (await db.StepInstances.AsNoTracking().SingleAsync(s => s.Key == "planeringsforutsattningar")).State);
    }
}
