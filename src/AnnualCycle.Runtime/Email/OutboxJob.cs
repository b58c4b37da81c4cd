using Hangfire;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// The Hangfire job that sends the outbox: one job run sends batch after batch until nothing is due. It takes no
/// arguments and reads the world when it runs, so running it twice, late or after a crash is harmless; the
/// dispatcher's database lease keeps two runs from working at once.
/// </summary>
public sealed class OutboxJob(OutboxDispatcher dispatcher)
{
    public const string SweepJobId = "annualcycle-outbox-sweep";
    public const string SweepCron = "*/1 * * * *";

    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync()
    {
        var summary = await dispatcher.RunAsync(CancellationToken.None);
        return summary.Claimed;
    }
}

/// <summary>Asks for an outbox run soon: called by the runtime after a transaction that recorded notifications has committed.</summary>
public interface IOutboxWakeup
{
    void Wake();
}

public static class OutboxWakeups
{
    /// <summary>Wakes the outbox if a wake-up is registered; never throws (the minute sweep sends the rows anyway).</summary>
    public static void TryWake(IServiceProvider? services)
    {
        try
        {
            (services?.GetService(typeof(IOutboxWakeup)) as IOutboxWakeup)?.Wake();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // No job storage here (a tool, a test without Hangfire) or it is unavailable: the sweep covers it.
        }
    }
}

/// <summary>Enqueues one <see cref="OutboxJob"/> run; the minute sweep is the safety net when this is lost.</summary>
public sealed class HangfireOutboxWakeup(IBackgroundJobClient jobs) : IOutboxWakeup
{
    public void Wake() => jobs.Enqueue<OutboxJob>(j => j.RunAsync());
}
