using System.Diagnostics.Tracing;
using MimeKit;

namespace AnnualCycle.Cli.Bench;

/// <summary>Counts the wake-ups the timer scheduler writes, passing each on to real Hangfire (in-memory storage in the benchmark).</summary>
public sealed class CountingTimerWakeups(ITimerWakeups inner) : ITimerWakeups
{
    private int _scheduled;
    private long _ticks;

    public int Scheduled => Volatile.Read(ref _scheduled);

    /// <summary>Time spent writing the jobs (since <see cref="Reset"/>).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public string Schedule(DateTimeOffset at)
    {
        Interlocked.Increment(ref _scheduled);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return inner.Schedule(at);
        }
        finally
        {
            Interlocked.Add(ref _ticks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        }
    }

    public bool IsAlive(string jobId) => inner.IsAlive(jobId);

    public void Reset()
    {
        Interlocked.Exchange(ref _scheduled, 0);
        Interlocked.Exchange(ref _ticks, 0);
    }
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
        public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._messages);
            ConnectListener.Counting.Value = true;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                return await inner.SendAsync(message, beforeEnd, beforeEndTimeout, cancellationToken);
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

/// <summary>Sums the time EF Core's commands of one context take whose SQL matches (from its diagnostic events, so other contexts don't count).</summary>
public sealed class SqlTime : IObserver<System.Diagnostics.DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly Microsoft.EntityFrameworkCore.DbContext _context;
    private readonly Func<string, bool> _matches;
    private readonly List<IDisposable> _subscriptions = [];
    private long _ticks;
    private int _count;

    private SqlTime(Microsoft.EntityFrameworkCore.DbContext context, Func<string, bool> matches)
    {
        _context = context;
        _matches = matches;
        _subscriptions.Add(System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(this));
    }

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>How many matching commands ran: round trips to the database.</summary>
    public int Count => Volatile.Read(ref _count);

    public static SqlTime Watch(Microsoft.EntityFrameworkCore.DbContext context, Func<string, bool> matches) => new(context, matches);

    public void OnNext(System.Diagnostics.DiagnosticListener listener)
    {
        if (listener.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Value is Microsoft.EntityFrameworkCore.Diagnostics.CommandExecutedEventData data && ReferenceEquals(data.Context, _context) && _matches(data.Command.CommandText))
        {
            Interlocked.Add(ref _ticks, data.Duration.Ticks);
            Interlocked.Increment(ref _count);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
