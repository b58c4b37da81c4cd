namespace AnnualCycle.Cli.Simulation;

/// <summary>
/// The simulation's clock: only moved forward by the simulator, never read from the wall. Everything the engine and the
/// email dispatcher stamp (journal, timers fired, outbox rows, each message's Date header) is simulated time.
/// Microsoft.Extensions.TimeProvider.Testing is a test package, so the CLI keeps its own five-line clock.
/// </summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private long _utcTicks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="at"/>; never backwards.</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at.UtcTicks > Interlocked.Read(ref _utcTicks))
        {
            Interlocked.Exchange(ref _utcTicks, at.UtcTicks);
        }
    }
}
