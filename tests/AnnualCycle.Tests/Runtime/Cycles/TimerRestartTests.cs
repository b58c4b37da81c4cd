using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Jobs;
using AnnualCycle.Tests.Infrastructure;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Stop with pending timers, start again, and every due timer fires once. The in-memory Hangfire of the
/// zero-setup mode loses every job on restart, so reconciliation schedules them again from the timer table;
/// PostgreSQL storage keeps its jobs, so reconciliation finds them alive and writes none twice.
/// </summary>
public abstract class TimerRestartTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => throw new NotSupportedException();

    /// <summary>A harness on the same database each time it is called (one call per "process").</summary>
    protected abstract Task<EngineHarness> OpenAsync(JobStorage storage);

    /// <summary>The job storage of the process after the restart (fresh for in-memory, the same for PostgreSQL).</summary>
    protected abstract JobStorage StorageAfterRestart(JobStorage before);

    protected abstract Task<JobStorage> FirstStorageAsync();

    protected abstract bool StorageSurvivesRestart { get; }

    [Fact]
    public async Task Restart_ReconcilesEveryPendingTimer_AndEachFiresOnce()
    {
        var before = await FirstStorageAsync();
        int pending;
        long scheduledBefore;
        DateTimeOffset stoppedAt;
        await using (var first = await OpenAsync(before))
        {
            await StartAsync(first);
            await AdvanceToAsync(first, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            scheduledBefore = before.GetMonitoringApi().ScheduledCount();
            Assert.True(scheduledBefore > 0);
            pending = await first.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Pending));
            stoppedAt = first.Clock.GetUtcNow();
        }

        var after = StorageAfterRestart(before);
        await using var second = await OpenAsync(after);
        second.Clock.SetUtcNow(stoppedAt);

        var jobs = await second.InScopeAsync(sp => sp.GetRequiredService<TimerScheduler>().ReconcileAsync());
        if (StorageSurvivesRestart)
        {
            Assert.Equal(scheduledBefore, after.GetMonitoringApi().ScheduledCount() - jobs);
        }
        else
        {
            Assert.True(jobs > 0);
            Assert.Equal(jobs, after.GetMonitoringApi().ScheduledCount());
        }

        // Every one of the next distinct due seconds has one wake-up row, and its job is alive in the storage.
        var now = second.Clock.GetUtcNow().UtcDateTime;
        var pendingSeconds = await second.DbAsync(async db => (await db.Timers.Where(t => t.State == TimerState.Pending && t.DueAtUtc > now).Select(t => t.DueAtUtc).ToListAsync())
            .Select(TimerScheduler.FloorToSecond).Distinct().Order().Take(TimerScheduler.Horizon).ToList());
        var wakeups = await second.DbAsync(db => db.TimerWakeups.AsNoTracking().ToDictionaryAsync(w => w.Second, w => w.JobId));
        Assert.All(pendingSeconds, s => Assert.True(wakeups.TryGetValue(s, out var id) && id is not null && second.Wakeups.IsAlive(id), $"second {s:O} has no live job"));
        // Proportional to the seconds, not the timers: never more jobs than scheduled seconds (plus one "due now").
        Assert.True(jobs <= wakeups.Count + 1, $"{jobs} jobs for {wakeups.Count} seconds");

        second.Clock.SetUtcNow(new DateTimeOffset(2028, 12, 31, 0, 0, 0, TimeSpan.Zero));
        var fired = await second.RunDueAsync();
        Assert.Equal(0, await second.RunDueAsync());
        Assert.Equal(pending, fired);
        Assert.Equal(pending, await second.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Fired && t.FiredAtUtc > stoppedAt.UtcDateTime)));
    }
}

[Collection(HostCollection.Name)] // uses Hangfire storages and clients; keep it away from timing-sensitive Hangfire tests
public sealed class TimerRestartInMemoryTests : TimerRestartTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annualcycle-restart-").FullName;

    protected override bool StorageSurvivesRestart => false;

    protected override Task<JobStorage> FirstStorageAsync() => Task.FromResult<JobStorage>(new InMemoryStorage());

    protected override JobStorage StorageAfterRestart(JobStorage before) => new InMemoryStorage();

    protected override Task<EngineHarness> OpenAsync(JobStorage storage) =>
        EngineHarness.SqliteAsync(new HangfireTimerWakeups(new BackgroundJobClient(storage), storage), _folder);
}

[Collection(HostCollection.Name)]
public sealed class TimerRestartPostgreSqlTests : TimerRestartTests
{
    private string _connectionString = "";

    protected override bool StorageSurvivesRestart => true;

    protected override async Task<JobStorage> FirstStorageAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("restart");
        return Storage();
    }

    protected override JobStorage StorageAfterRestart(JobStorage before) => Storage();

    protected override Task<EngineHarness> OpenAsync(JobStorage storage) =>
        EngineHarness.PostgreSqlAsync(_connectionString, new HangfireTimerWakeups(new BackgroundJobClient(storage), storage));

    private PostgreSqlStorage Storage()
    {
        var options = HangfireSetup.PostgreSqlOptions();
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(_connectionString, options), options);
    }
}
