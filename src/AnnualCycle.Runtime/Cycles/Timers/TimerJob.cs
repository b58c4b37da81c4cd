using Hangfire;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// The only Hangfire job of the runtime: it takes no arguments and fires whatever is due when it runs. A wake-up is
/// scheduled <see cref="TimerScheduler.Lead"/> before the whole second its timers fall in
/// (<see cref="TimerScheduler.FloorToSecond"/>); the timers of that second are waited for here and fired at their
/// instant, never before it (the dispatcher fires only what is due by the injected clock).
/// </summary>
public sealed class TimerJob(TimerDispatcher dispatcher, TimeProvider clock)
{
    public const string SweepJobId = "annualcycle-timer-sweep";
    public const string SweepCron = "*/1 * * * *";

    /// <summary>The longest a run waits for a timer due after it started: the lead, its second, and a little.</summary>
    public static readonly TimeSpan FollowUp = TimerScheduler.Lead + TimeSpan.FromSeconds(1.2);

    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunDueAsync()
    {
        var fired = await dispatcher.RunDueAsync(CancellationToken.None);
        var started = clock.GetUtcNow();
        while (await dispatcher.NextDueAsync(CancellationToken.None) is { } next)
        {
            var now = clock.GetUtcNow();
            var wait = new DateTimeOffset(next, TimeSpan.Zero) - now;
            if (wait > FollowUp || now - started > FollowUp)
            {
                break; // a later second's own wake-up fires it
            }

            // A real wait of at most FollowUp; what is due is decided by the clock after it. (A test host's frozen clock
            // therefore sees nothing come due, and the run ends below instead of waiting again.)
            await Task.Delay(wait);
            var more = await dispatcher.RunDueAsync(CancellationToken.None);
            fired += more;
            if (more == 0)
            {
                break; // fired elsewhere (another node), or the clock did not move
            }
        }

        return fired;
    }
}
