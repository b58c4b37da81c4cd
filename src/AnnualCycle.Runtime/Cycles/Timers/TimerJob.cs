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
        DateTime? stalled = null;
        while (await dispatcher.NextDueAsync(CancellationToken.None) is { } next)
        {
            if (next == stalled)
            {
                break; // nothing came due since the last wait: the clock did not move (a test host's frozen clock)
            }

            var now = clock.GetUtcNow();
            var wait = new DateTimeOffset(next, TimeSpan.Zero) - now;
            if (wait > FollowUp || now - started > FollowUp)
            {
                break; // a later second's own wake-up fires it
            }

            // A real wait of at most FollowUp; what is due is decided by the clock after it. (A test host's frozen clock
            // therefore sees nothing come due, and the run ends below instead of waiting again.)
            await Task.Delay(wait);
            // Task.Delay counts its own ticks and may end a millisecond before the clock reaches the instant; nothing would
            // be due yet and the run would stop with the timer unfired. A few short waits more (bounded, for a frozen clock).
            var instant = new DateTimeOffset(next, TimeSpan.Zero);
            for (var i = 0; i < 20 && clock.GetUtcNow() < instant; i++)
            {
                await Task.Delay(1);
            }

            var more = await dispatcher.RunDueAsync(CancellationToken.None);
            fired += more;
            // None fired: either another run (the next second's wake-up, another node) fired them first - then go on with
            // what is due after them, or this second's timers would wait for the minute sweep - or the clock did not move.
            stalled = more == 0 ? next : null;
        }

        return fired;
    }
}
