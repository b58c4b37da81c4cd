using System.Diagnostics.Metrics;

namespace AnnualCycle.Runtime.Email;

/// <summary>The meter <c>AnnualCycle.Email</c>: what became of outbox rows, counted as the dispatcher marks them.</summary>
public sealed class EmailMetrics : IDisposable
{
    public const string MeterName = "AnnualCycle.Email";

    private readonly Meter _meter;

    public EmailMetrics()
    {
        _meter = new Meter(MeterName);
        Sent = _meter.CreateCounter<long>("annualcycle.email.sent", "{message}", "Emails accepted by the SMTP server or written to the pick-up folder.");
        Retrying = _meter.CreateCounter<long>("annualcycle.email.retrying", "{message}", "Attempts that failed temporarily and will be retried.");
        DeadLettered = _meter.CreateCounter<long>("annualcycle.email.dead_lettered", "{message}", "Emails given up: a permanent failure or 48 hours of temporary ones.");
        Dropped = _meter.CreateCounter<long>("annualcycle.email.dropped", "{message}", "Reminders not sent because their step was resolved first.");
    }

    public Counter<long> Sent { get; }

    public Counter<long> Retrying { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Dropped { get; }

    public void Dispose() => _meter.Dispose();
}
