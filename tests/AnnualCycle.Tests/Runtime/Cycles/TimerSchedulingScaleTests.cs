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

/// <summary>Starting a cycle of 1,000 step instances writes one wake-up per distinct due second, at most <see cref="TimerScheduler.Horizon"/>, not one per timer.</summary>
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
        var seconds = timers.Select(t => HangfireSetup.RoundUpToSecond(new DateTimeOffset(t.DueAtUtc, TimeSpan.Zero))).Distinct().Order().ToList();
        Assert.Equal(seconds.Take(TimerScheduler.Horizon), wakeups.Order());
        Assert.All(timers.Where(t => t.DueAtUtc <= wakeups.Max().UtcDateTime), t => Assert.NotNull(t.HangfireJobId));
    }
}
