using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AnnualCycle.Tests.EndToEnd;

/// <summary>Timers that failed show on the administrator's email page beside the dead letters, and Återaktivera re-arms one.</summary>
[Collection(HostCollection.Name)]
public sealed class UiFailedTimersTests
{
    [Fact]
    public async Task Administrator_SeesAFailedTimer_OnTheEmailPage_AndRearmsIt()
    {
        await using var host = await UiHost.StartSqliteAsync();
        host.Name = "failed-timers";
        var stepId = await host.StartCycle2027Async();
        Guid timerId;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            var timer = await db.Timers.Where(t => t.StepInstanceId == stepId && t.State == TimerState.Pending && t.Kind == TimerKind.Reminder).OrderByDescending(t => t.DueAtUtc).FirstAsync();
            timer.State = TimerState.Failed;
            timer.Attempts = 5;
            timer.LastError = "InvalidOperationException: broken on purpose";
            await db.SaveChangesAsync();
            timerId = timer.Id;
        }

        var admin = await host.SignInAsync("admin@demo.local");
        await admin.GotoAsync("/admin/epost");
        await UiHost.WaitInteractiveAsync(admin);
        var row = admin.Locator($"[data-testid=failed-timer][data-id='{timerId}']");
        await Assertions.Expect(row).ToContainTextAsync("broken on purpose");
        await Assertions.Expect(row).ToContainTextAsync("Påminnelse");
        await UiHost.ScreenshotAsync(admin, "admin-failed-timers-1280");

        await row.Locator("[data-testid=rearm-timer]").ClickAsync();
        await Assertions.Expect(admin.GetByText("Timern är återaktiverad och körs vid nästa tillfälle.")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("[data-testid=failed-timers-empty]")).ToBeVisibleAsync();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var timer = await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Timers.AsNoTracking().SingleAsync(t => t.Id == timerId);
            Assert.Equal((TimerState.Pending, 0), (timer.State, timer.Attempts));
        }
    }
}
