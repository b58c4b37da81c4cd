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
public sealed class TimerSchedulingScaleTests : EngineTestBase
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();

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
        Assert.Equal(seconds.Take(TimerScheduler.Horizon).Select(s => s - TimerScheduler.Lead), wakeups.Order());
        var rows = await h.DbAsync(db => db.TimerWakeups.AsNoTracking().OrderBy(w => w.Second).ToListAsync());
        Assert.Equal(seconds.Take(TimerScheduler.Horizon).Select(s => s.UtcDateTime), rows.Select(r => r.Second));
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
        Assert.Equal(TimerScheduler.Horizon, ((RecordingWakeups)h.Wakeups).Scheduled.Count);
    }
}
