using Hangfire;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>The only Hangfire job of the runtime: it takes no arguments and fires whatever is due when it runs.</summary>
public sealed class TimerJob(TimerDispatcher dispatcher)
{
    public const string SweepJobId = "annualcycle-timer-sweep";
    public const string SweepCron = "*/1 * * * *";

    [AutomaticRetry(Attempts = 0)]
    public Task<int> RunDueAsync() => dispatcher.RunDueAsync(CancellationToken.None);
}
