using System.Diagnostics;
using System.Threading.Channels;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Sending;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AnnualCycle.Runtime.Email;

/// <summary>What one call of <see cref="OutboxDispatcher.RunAsync"/> or <see cref="OutboxDispatcher.DispatchBatchAsync"/> did.</summary>
public sealed record DispatchSummary(int Claimed, int Sent, int Retrying, int DeadLettered, int Dropped, int Digested, bool Skipped = false)
{
    public static readonly DispatchSummary Empty = new(0, 0, 0, 0, 0, 0);

    public static DispatchSummary operator +(DispatchSummary a, DispatchSummary b) => new(
        a.Claimed + b.Claimed, a.Sent + b.Sent, a.Retrying + b.Retrying, a.DeadLettered + b.DeadLettered, a.Dropped + b.Dropped, a.Digested + b.Digested);
}

/// <summary>
/// Sends the outbox as a pipeline: one task claims due rows (Pending, Retrying whose time has come) in batches of
/// <see cref="BatchSize"/>, stamping them Sending with the run's claim token, reads what their messages are made of in
/// one go and renders each message just ahead of the senders (at most <see cref="RenderedAhead"/> wait); each of
/// <see cref="SmtpOptions.Connections"/> senders keeps ONE connection for the whole run and sends message after message;
/// each sent row is recorded Sent by one group-commit writer shared by the senders (<see cref="OutboxSentMarks"/>: one
/// commit records the marks every connection asked for since the last) while the next message's envelope is under way.
/// The parts: this file (runs, the lease, the pump and its producer), <c>OutboxDispatcher.Sending.cs</c> (the senders),
/// <c>OutboxDispatcher.Rows.cs</c> (claims and state changes of rows).
/// </summary>
/// <remarks>
/// <para>What a crash can do — the guarantee the fault tests check (tests/AnnualCycle.Tests/Faults):</para>
/// <para>A message's content (SMTP DATA) is never handed over before the previous message of the same connection is
/// durably recorded as Sent (the transport waits for that mark between the envelope and the content,
/// <see cref="IMailSession.SendAsync"/>). So at any moment at most ONE message per connection has been, or may be
/// being, accepted by the server without being recorded. When the process dies, the rows it had claimed stay Sending
/// under its token; the next run takes the lease — at once if it is the same instance restarted, else within
/// <see cref="JobLease.HeartbeatTtl"/> — puts those rows back to Pending and sends them: every email is delivered,
/// and at most one per connection (one with the default of one connection) arrives twice, with the same Message-ID.
/// A crash of the database server or the machine itself may also forget the marks of its last moments (they are not
/// flushed to disk one by one): those messages go again too. Nothing is ever lost.</para>
/// <para>A run that cannot reach the database keeps waiting before the next message's content, so an outage of the
/// database does not widen the window. Time comes only from the injected <see cref="TimeProvider"/>.</para>
/// </remarks>
public sealed partial class OutboxDispatcher(
    IDbContextFactory<AnnualCycleDbContext> contexts,
    TimeProvider clock,
    IMailTransport transport,
    OutboxEmailBuilder builder,
    RetryPolicy retry,
    JobLease lease,
    EmailMetrics metrics,
    OutboxWriteGate writeGate,
    IOptions<EmailOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    public const int BatchSize = 200;
    public const string LeaseName = "outbox-dispatcher";

    /// <summary>
    /// How many rendered messages may wait for a sender. Enough to cover a claim of the next batch (the senders go on
    /// meanwhile), few enough that few are alive at a young collection: rendered a whole batch ahead (up to 400 waiting),
    /// the collections that copied them paused the process ~80 µs a message against ~30 now (bench email).
    /// </summary>
    public const int RenderedAhead = 32;

    /// <summary>
    /// A backstop only: a row Sending this long under a claim nobody recovered (a run that died and whose lease was
    /// given back by hand) is claimed again. Normally a dead run's rows are recovered as soon as its lease is taken over.
    /// </summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long a message, its content on the server, waits for the previous message's mark before the sender drops it (the server discards it) to wait outside the SMTP conversation.</summary>
    public static readonly TimeSpan MarkWaitInsideConversation = TimeSpan.FromSeconds(2);

    /// <summary>Sends everything due, unless another live run holds the dispatcher's lease (then <see cref="DispatchSummary.Skipped"/>).</summary>
    public async Task<DispatchSummary> RunAsync(CancellationToken ct = default)
    {
        var total = DispatchSummary.Empty;
        // A wake-up that came while this run held the lease was skipped; a row it announced may have been committed
        // after our last claim. So after letting go, look once more before leaving it to the minute sweep.
        for (var round = 0; round < 3; round++)
        {
            var hold = await lease.TryHoldAsync(LeaseName, ct);
            if (hold is null)
            {
                return round == 0 ? DispatchSummary.Empty with { Skipped = true } : total;
            }

            await using (hold)
            {
                if (hold.TookOverFrom is { } dead)
                {
                    await RecoverAsync(dead.Token, ct);
                }

                var (summary, clean) = await PumpAsync(hold.Token, continuous: true, hold.Lost, ct);
                total += summary;
                // Rows of ours left Sending (the database was away at the end): keep the lease unreleased so that it
                // expires and the next holder recovers them by our token.
                hold.ReleaseOnDispose = clean;
                if (hold.IsLost)
                {
                    return total;
                }
            }

            if (!await AnyDueAsync(ct))
            {
                break;
            }
        }

        return total;
    }

    /// <summary>Claims, sends and marks one batch, outside the lease. Safe to run concurrently with itself and with runs: each row is claimed by one batch only.</summary>
    public async Task<DispatchSummary> DispatchBatchAsync(CancellationToken ct = default) =>
        (await PumpAsync(Guid.NewGuid(), continuous: false, CancellationToken.None, ct)).Summary;

    /// <summary>Puts the rows a dead run had claimed and not finished back to Pending. Returns how many.</summary>
    public async Task<int> RecoverAsync(Guid deadToken, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var recovered = await db.OutboxMessages
            .Where(o => o.State == OutboxState.Sending && o.ClaimToken == deadToken)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Pending).SetProperty(o => o.ClaimToken, (Guid?)null), ct);
        if (recovered > 0)
        {
            logger.LogWarning("Recovered {Count} outbox row(s) claimed by a run that died; the one it may have been sending goes again", recovered);
        }

        return recovered;
    }

    private async Task<bool> AnyDueAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var kind in DueKinds(db.OutboxMessages.AsNoTracking(), now, now - StuckAfter))
        {
            if (await kind.AnyAsync(ct))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Item(OutboxMessageEntity Row, MimeMessage Message);

    /// <summary>The counts of a pump, added to from the producer and the senders.</summary>
    private sealed class Tally
    {
        private int _claimed, _sent, _retrying, _deadLettered, _dropped, _digested;

        public void Claimed(int n) => Interlocked.Add(ref _claimed, n);

        public void Sent() => Interlocked.Increment(ref _sent);

        public void Retrying() => Interlocked.Increment(ref _retrying);

        public void DeadLettered() => Interlocked.Increment(ref _deadLettered);

        public void Dropped() => Interlocked.Increment(ref _dropped);

        public void Digested() => Interlocked.Increment(ref _digested);

        public DispatchSummary Summary => new(_claimed, _sent, _retrying, _deadLettered, _dropped, _digested);
    }

    /// <summary>
    /// Claims (once, or until nothing is due when <paramref name="continuous"/>), renders and sends under
    /// <paramref name="token"/>. Clean is false when rows of ours may still be Sending (the database was away).
    /// </summary>
    private async Task<(DispatchSummary Summary, bool Clean)> PumpAsync(Guid token, bool continuous, CancellationToken lost, CancellationToken ct)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct, lost);
        using var stopClaiming = CancellationTokenSource.CreateLinkedTokenSource(run.Token);
        var tally = new Tally();
        var connections = Math.Clamp(options.Value.Smtp.Connections, 1, 16);
        var channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(RenderedAhead) { SingleWriter = true, SingleReader = connections == 1 });
        var unavailable = new ServerUnavailable();
        var marks = new OutboxSentMarks(contexts, logger, metrics, writeGate);

        var producer = Task.Run(() => ProduceAsync(token, continuous, channel.Writer, tally, stopClaiming.Token), CancellationToken.None);
        var senders = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => SendLoopAsync(token, channel.Reader, marks, tally, unavailable, stopClaiming, run.Token), CancellationToken.None))
            .ToList();
        Exception? failure = null;
        try
        {
            await Task.WhenAll(senders);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        await stopClaiming.CancelAsync();
        try
        {
            await producer;
        }
        catch (Exception ex) when (ex is OperationCanceledException || failure is not null)
        {
            // Stopped claiming because the senders stopped; their reason is the one that matters.
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // Each sender waited for its own last mark; what is left to commit (nothing, normally) goes before the rows still
        // Sending are handed back.
        await marks.DisposeAsync();
        var clean = await FinishAsync(token, unavailable.Result, tally);
        if (failure is not null && (ct.IsCancellationRequested || failure is not OperationCanceledException))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        return (tally.Summary, clean);
    }

    /// <summary>Set by the first sender that finds the server unreachable.</summary>
    private sealed class ServerUnavailable
    {
        public SendResult? Result;
    }

    private async Task ProduceAsync(Guid token, bool continuous, ChannelWriter<Item> writer, Tally tally, CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            do
            {
                var claiming = Stopwatch.GetTimestamp();
                var rows = await WhileDatabaseAwayAsync(() => ClaimAsync(token, ct), ct);
                metrics.Stage("claim", claiming);
                if (rows.Count == 0)
                {
                    break;
                }

                tally.Claimed(rows.Count);
                var reading = Stopwatch.GetTimestamp();
                await using var batch = await WhileDatabaseAwayAsync(() => builder.ReadAsync(rows, ct), ct);
                metrics.Stage("read", reading);
                foreach (var row in rows)
                {
                    switch (await batch.PrepareAsync(row, clock.GetUtcNow(), ct))
                    {
                        case OutboxEmailBuilder.Ready ready:
                            await writer.WriteAsync(new Item(row, ready.Message), ct);
                            break;
                        case OutboxEmailBuilder.Drop drop:
                            if (await MarkAsync(row, token, OutboxState.Dropped, null, null, drop.Reason, ct))
                            {
                                metrics.Dropped.Add(1);
                                tally.Dropped();
                            }

                            break;
                        case OutboxEmailBuilder.Digest digest:
                            if (await MarkAsync(row, token, OutboxState.Digested, null, null, digest.Reason, ct))
                            {
                                tally.Digested();
                            }

                            break;
                        case OutboxEmailBuilder.Unsendable bad:
                            logger.LogWarning("Outbox row {OutboxId} cannot be sent: {Reason}", row.Id, bad.Reason);
                            if (await MarkAsync(row, token, OutboxState.DeadLetter, null, null, bad.Reason, ct))
                            {
                                metrics.DeadLettered.Add(1);
                                tally.DeadLettered();
                            }

                            break;
                    }
                }
            }
            while (continuous);
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            writer.TryComplete(failure is OperationCanceledException ? null : failure);
        }
    }
}
