using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Cli.Bench;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Jobs;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>Starting a cycle of 1,000 step instances writes one wake-up per distinct due second, at most <see cref="TimerScheduler.Horizon"/>, not one per timer, and never a second job for a second that has one.</summary>
public abstract class TimerSchedulingScaleTests : EngineTestBase
{
    [Fact]
    public async Task StartCycle_OfAThousandSteps_SchedulesOneWakeupPerDistinctSecond_WithinTheHorizon()
    {
        await using var h = await CreateHarnessAsync();
        var big = new ScaledCyclePlanner(new FakeCyclePlanner(), 1000);
        var po = await h.ActorAsync(EngineHarness.ProcessOwner);
        await h.InScopeAsync(sp => ActivatorUtilities.CreateInstance<StartCycleHandler>(sp, (ICyclePlanner)big)
            .HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027)));

        var wakeups = ((RecordingWakeups)h.Wakeups).Scheduled;
        var timers = await h.DbAsync(db => db.Timers.AsNoTracking().ToListAsync());
        Assert.Equal(1000, await h.DbAsync(db => db.StepInstances.CountAsync()));
        Assert.True(timers.Count > 5000, $"{timers.Count} timers");
        var seconds = timers.Select(t => TimerScheduler.FloorToSecond(t.DueAtUtc)).Distinct().Order().Select(s => new DateTimeOffset(s, TimeSpan.Zero)).ToList();
        // The earliest distinct seconds, at most the horizon's: a pass reads a bounded number of pages, so with very many
        // timers per second it schedules fewer seconds and the next dispatcher run goes on from there.
        var count = wakeups.Count;
        Assert.InRange(count, 1, TimerScheduler.Horizon);
        Assert.Equal(seconds.Take(count).Select(s => s - TimerScheduler.Lead), wakeups.Order());
        var rows = await h.DbAsync(db => db.TimerWakeups.AsNoTracking().OrderBy(w => w.Second).ToListAsync());
        Assert.Equal(seconds.Take(count).Select(s => s.UtcDateTime), rows.Select(r => r.Second));
        Assert.All(rows, r => Assert.NotNull(r.JobId));

        // Scheduling again writes nothing: every second already has its job. Nor do more timers due at seconds that
        // already have one (as another cycle's reminders at the same 08:00 would be).
        Assert.Equal(0, await h.InScopeAsync(sp => sp.GetRequiredService<TimerScheduler>().EnsureScheduledAsync()));
        await h.DbAsync(async db =>
        {
            db.Timers.AddRange(timers.Where(t => t.DueAtUtc <= wakeups.Max().UtcDateTime).Take(500).Select(t => new TimerEntity
            {
                Id = Guid.NewGuid(), CycleId = t.CycleId, StepInstanceId = t.StepInstanceId, Kind = t.Kind, Sequence = t.Sequence + 100, Target = t.Target,
                DueAtUtc = t.DueAtUtc, State = TimerState.Pending,
            }));
            return await db.SaveChangesAsync();
        });
        Assert.Equal(0, await h.InScopeAsync(sp => sp.GetRequiredService<TimerScheduler>().EnsureScheduledAsync()));
        Assert.Equal(count, ((RecordingWakeups)h.Wakeups).Scheduled.Count);
    }

    /// <summary>
    /// A pass claims its seconds and records their job ids in one statement each, however many seconds it schedules: a
    /// round trip per second (an INSERT and an UPDATE each) was most of a start's fixed cost on PostgreSQL. Each second
    /// still gets exactly one job, and its row names that job.
    /// </summary>
    [Fact]
    public async Task Scheduling_ClaimsTheSecondsAndRecordsTheirJobs_InOneStatementEach()
    {
        await using var h = await CreateHarnessAsync();
        var big = new ScaledCyclePlanner(new FakeCyclePlanner(), 1000);
        var po = await h.ActorAsync(EngineHarness.ProcessOwner);
        await h.InScopeAsync(sp => ActivatorUtilities.CreateInstance<StartCycleHandler>(sp, (ICyclePlanner)big)
            .HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027)));
        var atStart = ((RecordingWakeups)h.Wakeups).Scheduled.Count;
        Assert.True(atStart >= 20, $"{atStart} seconds scheduled at the start");

        // Forget them: the next pass claims and schedules every one of them again.
        await h.DbAsync(db => db.TimerWakeups.ExecuteDeleteAsync());
        var statements = new List<string>();
        var written = await h.InScopeAsync(async sp =>
        {
            using var watch = EfCommands.Watch(sp.GetRequiredService<AnnualCycleDbContext>(), statements.Add);
            return await sp.GetRequiredService<TimerScheduler>().EnsureScheduledAsync();
        });

        Assert.Equal(atStart, written);
        Assert.Single(statements, s => s.Contains("INSERT INTO \"TimerWakeups\"", StringComparison.Ordinal));
        Assert.Single(statements, s => s.StartsWith("UPDATE \"TimerWakeups\"", StringComparison.Ordinal));
        // The recorder names its jobs job-1, job-2, ... in the order they were scheduled.
        var scheduled = ((RecordingWakeups)h.Wakeups).Scheduled;
        var jobs = scheduled.Skip(atStart).Select((at, i) => (Second: (at + TimerScheduler.Lead).UtcDateTime, JobId: $"job-{atStart + i + 1}")).ToList();
        var rows = await h.DbAsync(db => db.TimerWakeups.AsNoTracking().OrderBy(w => w.Second).ToListAsync());
        Assert.Equal(jobs.OrderBy(j => j.Second), rows.Select(r => (r.Second, r.JobId!)));
        Assert.Equal(scheduled.Take(atStart), scheduled.Skip(atStart));
    }
}

public sealed class TimerSchedulingScaleSqliteTests : TimerSchedulingScaleTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class TimerSchedulingScalePostgreSqlTests : TimerSchedulingScaleTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("scale"));
}
