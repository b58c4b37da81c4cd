using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// The meter <c>AnnualCycle.Email</c>: what became of outbox rows, counted as the dispatcher marks them, and where a
/// run's time goes (<see cref="StageDuration"/>, tagged <c>stage</c>: one of <see cref="Stages"/>).
/// </summary>
public sealed class EmailMetrics : IDisposable
{
    public const string MeterName = "AnnualCycle.Email";

    public const string StageDurationName = "annualcycle.email.stage.duration";

    public const string MarkCommitsName = "annualcycle.email.mark.commits";

    /// <summary>
    /// The parts of a run, in seconds each time: <c>claim</c> (finding and claiming a batch of due rows), <c>read</c>
    /// (a batch's steps, cycles and recipients), <c>render</c> (one message: templates, calendar attachment, MIME),
    /// <c>send</c> (one message over SMTP, envelope to the server's reply), <c>mark</c> (recording one row Sent),
    /// <c>gate</c> (a message's end of data waiting for the previous row's mark), <c>starved</c> (a sender waiting for a
    /// rendered message).
    /// </summary>
    public static readonly IReadOnlyList<string> Stages = ["claim", "read", "render", "send", "mark", "gate", "starved"];

    private readonly Meter _meter;

    public EmailMetrics()
    {
        _meter = new Meter(MeterName);
        Sent = _meter.CreateCounter<long>("annualcycle.email.sent", "{message}", "Emails accepted by the SMTP server or written to the pick-up folder.");
        Retrying = _meter.CreateCounter<long>("annualcycle.email.retrying", "{message}", "Attempts that failed temporarily and will be retried.");
        DeadLettered = _meter.CreateCounter<long>("annualcycle.email.dead_lettered", "{message}", "Emails given up: a permanent failure or 48 hours of temporary ones.");
        Dropped = _meter.CreateCounter<long>("annualcycle.email.dropped", "{message}", "Reminders not sent because their step was resolved first.");
        MarkCommits = _meter.CreateCounter<long>(MarkCommitsName, "{commit}", "Commits that recorded Sent marks; one records the marks of every connection that asked since the last.");
        StageDuration = _meter.CreateHistogram<double>(StageDurationName, "s", "Time spent in each part of sending the outbox (tag stage).");
    }

    public Counter<long> Sent { get; }

    public Counter<long> Retrying { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Dropped { get; }

    public Histogram<double> StageDuration { get; }

    /// <summary>The group commits of <see cref="OutboxSentMarks"/>: fewer than the rows marked when several connections send.</summary>
    public Counter<long> MarkCommits { get; }

    /// <summary>Records the time since <paramref name="startedAt"/> (a <see cref="Stopwatch.GetTimestamp"/>) for <paramref name="stage"/>, when anyone listens.</summary>
    public void Stage(string stage, long startedAt)
    {
        if (StageDuration.Enabled)
        {
            StageDuration.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    /// <summary>Records the time from <paramref name="startedAt"/> to <paramref name="endedAt"/> (both <see cref="Stopwatch.GetTimestamp"/>) for <paramref name="stage"/>, when anyone listens.</summary>
    public void Stage(string stage, long startedAt, long endedAt)
    {
        if (StageDuration.Enabled)
        {
            StageDuration.Record(Stopwatch.GetElapsedTime(startedAt, endedAt).TotalSeconds, new KeyValuePair<string, object?>("stage", stage));
        }
    }

    public void Dispose() => _meter.Dispose();
}
