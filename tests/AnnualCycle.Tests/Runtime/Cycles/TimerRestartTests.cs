using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Jobs;
using AnnualCycle.Tests.Infrastructure;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// The in-memory Hangfire of the zero-setup mode loses every job on restart; the timer table does not. After a
/// "restart" with a fresh storage, reconciliation schedules the pending timers again and each fires once.
/// </summary>
public sealed class TimerRestartTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => throw new NotSupportedException();

    [Fact]
    public async Task Restart_WithAFreshInMemoryHangfire_ReschedulesEveryPendingTimer_AndEachFiresOnce()
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-restart-").FullName;
        var before = new InMemoryStorage();
        int pending;
        DateTimeOffset stoppedAt;
        await using (var first = await EngineHarness.SqliteAsync(new HangfireTimerWakeups(new BackgroundJobClient(before), before), folder))
        {
            await StartAsync(first);
            Assert.True(before.GetMonitoringApi().ScheduledCount() > 0);
            await AdvanceToAsync(first, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            pending = await first.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Pending));
            stoppedAt = first.Clock.GetUtcNow();
        }

        var after = new InMemoryStorage();
        await using var second = await ReopenAsync(folder, new HangfireTimerWakeups(new BackgroundJobClient(after), after), stoppedAt);
        Assert.Equal(0, after.GetMonitoringApi().ScheduledCount());

        var jobs = await second.InScopeAsync(sp => sp.GetRequiredService<TimerScheduler>().ReconcileAsync());
        Assert.True(jobs > 0);
        Assert.Equal(jobs, after.GetMonitoringApi().ScheduledCount());
        var distinctSeconds = await second.DbAsync(async db => (await db.Timers.Where(t => t.State == TimerState.Pending).Select(t => t.DueAtUtc).ToListAsync())
            .Select(d => HangfireSetup.RoundUpToSecond(new DateTimeOffset(d, TimeSpan.Zero))).Distinct().Count());
        Assert.True(jobs <= distinctSeconds, $"{jobs} jobs for {distinctSeconds} distinct seconds");
        Assert.Equal(0, await second.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Pending && t.HangfireJobId == null && t.DueAtUtc < new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc))));

        second.Clock.SetUtcNow(new DateTimeOffset(2028, 12, 31, 0, 0, 0, TimeSpan.Zero));
        var fired = await second.RunDueAsync();
        Assert.Equal(0, await second.RunDueAsync());
        var firedRows = await second.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Fired && t.FiredAtUtc > stoppedAt.UtcDateTime));
        Assert.Equal(fired, firedRows);
        Assert.Equal(pending, fired + await second.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Cancelled)));
    }

    private static async Task<EngineHarness> ReopenAsync(string folder, ITimerWakeups wakeups, DateTimeOffset now)
    {
        // A second harness on the same SQLite file, as a restarted process would open it.
        var harness = await EngineHarness.SqliteAsync(wakeups, folder);
        harness.Clock.SetUtcNow(now);
        return harness;
    }
}
