using System.Text;
using System.Threading.Channels;
using AnnualCycle.Data;
using AnnualCycle.Data.Changes;
using Npgsql;

namespace AnnualCycle.Web.LiveUpdates;

/// <summary>
/// Live updates across the nodes of one PostgreSQL deployment: every change this node commits
/// (<see cref="CycleChangeNotifier.PublishedHere"/>) goes out as <c>NOTIFY annualcycle_cycle_changes</c>, and what the
/// other nodes send is heard on a connection of its own (<c>LISTEN</c>) and handed to this node's views
/// (<see cref="CycleChangeNotifier.PublishFromAnotherNode"/>). Nothing but the database the deployment already has.
/// </summary>
/// <remarks>
/// A notice is sent after the commit, so a node killed between its commit and its <c>NOTIFY</c> leaves the other
/// nodes' views one change behind until the next change or a reload; the data itself is never affected. A lost
/// listening connection is opened again (1 s, doubling to 30 s); what was sent while it was down is not replayed.
/// A node ignores its own notices (each process names itself with a random origin), since its views heard them already.
/// </remarks>
public sealed class PostgresChangeRelay : BackgroundService
{
    public const string ChannelName = "annualcycle_cycle_changes";

    // PostgreSQL refuses a payload of 8,000 bytes or more: 200 ids of 32 characters and a separator stay well below.
    private const int IdsPerNotice = 200;

    private readonly CycleChangeNotifier _notifier;
    private readonly ILogger<PostgresChangeRelay> _logger;
    private readonly NpgsqlDataSource _sending;
    private readonly string _listening;
    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly Channel<IReadOnlyCollection<Guid>> _outgoing = Channel.CreateUnbounded<IReadOnlyCollection<Guid>>(new() { SingleReader = true });
    private readonly TaskCompletionSource _listeningOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresChangeRelay(CycleChangeNotifier notifier, DatabaseOptions options, ILogger<PostgresChangeRelay> logger)
    {
        _notifier = notifier;
        _logger = logger;
        _sending = NpgsqlDataSource.Create(options.ConnectionString!);
        // Its own connection, outside the pool, with keep-alives so a silently dead server is noticed and re-dialled.
        _listening = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false, KeepAlive = 10, ApplicationName = "annualcycle-live-updates" }.ConnectionString;
        _notifier.PublishedHere += Enqueue;
    }

    /// <summary>Completes once this node listens (the first time): a test waits for it before it expects anything.</summary>
    public Task Listening => _listeningOnce.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    public override void Dispose()
    {
        _notifier.PublishedHere -= Enqueue;
        _outgoing.Writer.TryComplete();
        _sending.Dispose();
        base.Dispose();
    }

    private void Enqueue(IReadOnlyCollection<Guid> cycleIds) => _outgoing.Writer.TryWrite(cycleIds);

    private async Task ListenAsync(CancellationToken ct)
    {
        var wait = TimeSpan.FromSeconds(1);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listening);
                connection.Notification += OnNotification;
                await connection.OpenAsync(ct);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChannelName}", connection))
                {
                    await listen.ExecuteNonQueryAsync(ct);
                }

                _listeningOnce.TrySetResult();
                wait = TimeSpan.FromSeconds(1);
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning("Live updates from other nodes paused ({Message}); listening again in {Seconds} s.", ex.Message, wait.TotalSeconds);
                try
                {
                    await Task.Delay(wait, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        var separator = e.Payload.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0 || e.Payload.AsSpan(0, separator).SequenceEqual(_origin.AsSpan()))
        {
            return;
        }

        var ids = new List<Guid>();
        foreach (var part in e.Payload[(separator + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Guid.TryParseExact(part, "N", out var id))
            {
                ids.Add(id);
            }
        }

        _notifier.PublishFromAnotherNode(ids);
    }

    private async Task SendAsync(CancellationToken ct)
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(ct))
            {
                // Everything queued meanwhile goes out together: a burst of saves is one or a few notices.
                var ids = new HashSet<Guid>();
                while (_outgoing.Reader.TryRead(out var some))
                {
                    ids.UnionWith(some);
                }

                try
                {
                    await using var connection = await _sending.OpenConnectionAsync(ct);
                    foreach (var chunk in ids.Chunk(IdsPerNotice))
                    {
                        var payload = new StringBuilder(_origin).Append(':').AppendJoin(',', chunk.Select(id => id.ToString("N"))).ToString();
                        await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
                        notify.Parameters.AddWithValue("channel", ChannelName);
                        notify.Parameters.AddWithValue("payload", payload);
                        await notify.ExecuteNonQueryAsync(ct);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("Could not tell the other nodes about {Count} changed cycle(s): {Message}", ids.Count, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
