using System.Diagnostics.Tracing;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Email;
using MimeKit;

namespace AnnualCycle.Cli.Bench;

/// <summary>Counts the wake-ups the timer scheduler writes, passing each on to real Hangfire (in-memory storage in the benchmark).</summary>
public sealed class CountingTimerWakeups(ITimerWakeups inner) : ITimerWakeups
{
    private int _scheduled;

    public int Scheduled => Volatile.Read(ref _scheduled);

    public string Schedule(DateTimeOffset at)
    {
        Interlocked.Increment(ref _scheduled);
        return inner.Schedule(at);
    }

    public bool IsAlive(string jobId) => inner.IsAlive(jobId);

    public void Reset() => Interlocked.Exchange(ref _scheduled, 0);
}

/// <summary>The benchmark runs the dispatcher itself: a wake-up after a change is not needed (and must not reach a real job storage).</summary>
public sealed class NoOutboxWakeup : IOutboxWakeup
{
    public void Wake()
    {
    }
}

/// <summary>
/// Counts the batches handed to the transport and the TCP connections the transport itself opens (the runtime's
/// <c>System.Net.Sockets</c> ConnectStart events raised inside <see cref="SendBatchAsync"/>'s own async flow, so sockets
/// opened elsewhere in the process meanwhile are not counted): the SMTP connections actually made, not assumed.
/// </summary>
public sealed class CountingMailTransport : IMailTransport, IDisposable
{
    private readonly IMailTransport _inner;
    private readonly ConnectListener _listener;
    private int _batches;
    private int _messages;
    private long _sendingTicks;

    public CountingMailTransport(IMailTransport inner)
    {
        _inner = inner;
        _listener = new ConnectListener();
    }

    public int Batches => Volatile.Read(ref _batches);

    public int Messages => Volatile.Read(ref _messages);

    /// <summary>Time spent inside the transport (SMTP conversation or file writes); the rest of a run is claiming, rendering and marking.</summary>
    public TimeSpan Sending => TimeSpan.FromTicks(Interlocked.Read(ref _sendingTicks));

    /// <summary>TCP connections opened during <see cref="SendBatchAsync"/> calls.</summary>
    public int Connections => _listener.Counted;

    public async Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _messages, messages.Count);
        // Set inside this async method: flows into the transport's calls and is undone when the method returns.
        ConnectListener.Counting.Value = true;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return await _inner.SendBatchAsync(messages, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _sendingTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    /// <summary>The inner transport's session (one connection kept for many messages), counted the same way.</summary>
    public async ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _batches);
        return new CountingSession(this, await _inner.OpenSessionAsync(cancellationToken));
    }

    private sealed class CountingSession(CountingMailTransport owner, IMailSession inner) : IMailSession
    {
        public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeContent, TimeSpan beforeContentTimeout, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._messages);
            ConnectListener.Counting.Value = true;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return await inner.SendAsync(message, beforeContent, beforeContentTimeout, cancellationToken);
            }
            finally
            {
                Interlocked.Add(ref owner._sendingTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    public void Dispose() => _listener.Dispose();

    private sealed class ConnectListener : EventListener
    {
        public static readonly AsyncLocal<bool> Counting = new();

        private int _counted;

        public int Counted => Volatile.Read(ref _counted);

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "System.Net.Sockets")
            {
                EnableEvents(eventSource, EventLevel.Informational);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            // Written synchronously by the connecting code, on its own flow.
            if (Counting.Value && eventData.EventName == "ConnectStart")
            {
                Interlocked.Increment(ref _counted);
            }
        }
    }
}
