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
    /// <summary>
    /// Wakes the outbox through the application's services a DbContext was built with (the engine's units of work get
    /// only the context); never throws.
    /// </summary>
    public static void TryWake(IServiceProvider? services)
    {
        try
        {
            if (services?.GetService(typeof(IOutboxWakeup)) is IOutboxWakeup wakeup)
            {
                TryWake(wakeup);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The job storage cannot be reached, or the host is shutting down: the sweep covers it.
        }
    }

    /// <summary>Wakes the outbox; never throws (the minute sweep sends the rows anyway).</summary>
    public static void TryWake(IOutboxWakeup wakeup)
    {
        try
        {
            wakeup.Wake();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The job storage is unavailable (or its host is shutting down): the sweep covers it.
        }
    }
}

/// <summary>Enqueues one <see cref="OutboxJob"/> run; the minute sweep is the safety net when this is lost.</summary>
public sealed class HangfireOutboxWakeup(IBackgroundJobClient jobs) : IOutboxWakeup
{
    public void Wake() => jobs.Enqueue<OutboxJob>(j => j.RunAsync());
}
