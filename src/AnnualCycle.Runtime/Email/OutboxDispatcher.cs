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
/// <see cref="BatchSize"/>, stamping them Sending with the run's claim token, and renders them; each of
/// <see cref="SmtpOptions.Connections"/> senders keeps ONE connection for the whole run and sends message after message;
/// each sent row is recorded Sent on a connection of its own (<see cref="OutboxSentMarks"/>) while the next message's
/// envelope is under way.
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
public sealed class OutboxDispatcher(
    IDbContextFactory<AnnualCycleDbContext> contexts,
    TimeProvider clock,
    IMailTransport transport,
    OutboxEmailBuilder builder,
    RetryPolicy retry,
    JobLease lease,
    EmailMetrics metrics,
    IOptions<EmailOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    public const int BatchSize = 200;
    public const string LeaseName = "outbox-dispatcher";

    /// <summary>
    /// A backstop only: a row Sending this long under a claim nobody recovered (a run that died and whose lease was
    /// given back by hand) is claimed again. Normally a dead run's rows are recovered as soon as its lease is taken over.
    /// </summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);

    /// <summary>How long a message waits before its content for the previous message's mark before the sender stops to wait outside the SMTP conversation.</summary>
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
        return await Due(db.OutboxMessages.AsNoTracking(), now, now - StuckAfter).AnyAsync(ct);
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
        var channel = Channel.CreateBounded<Item>(new BoundedChannelOptions(BatchSize * 2) { SingleWriter = true, SingleReader = connections == 1 });
        var unavailable = new ServerUnavailable();

        var producer = Task.Run(() => ProduceAsync(token, continuous, channel.Writer, tally, stopClaiming.Token), CancellationToken.None);
        var senders = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => SendLoopAsync(token, channel.Reader, tally, unavailable, stopClaiming, run.Token), CancellationToken.None))
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
                var prepared = await WhileDatabaseAwayAsync(() => builder.PrepareAsync(rows, clock.GetUtcNow(), ct), ct);
                foreach (var row in rows)
                {
                    switch (prepared[row.Id])
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

    /// <summary>
    /// One connection: message after message, each one's content only after the previous one's Sent mark committed.
    /// </summary>
    private async Task SendLoopAsync(Guid token, ChannelReader<Item> reader, Tally tally, ServerUnavailable unavailable, CancellationTokenSource stopClaiming, CancellationToken ct)
    {
        await using var marks = new OutboxSentMarks(contexts, logger);
        await using var session = await transport.OpenSessionAsync(ct);
        Task<bool>? previousMark = null;
        try
        {
            while (true)
            {
                var waiting = Stopwatch.GetTimestamp();
                var more = reader.TryPeek(out _) || await reader.WaitToReadAsync(ct);
                metrics.Stage("starved", waiting);
                if (!more)
                {
                    break;
                }

                if (unavailable.Result is not null)
                {
                    return; // another connection found the server away: the rest waits for the next try
                }

                if (!reader.TryRead(out var item))
                {
                    continue;
                }

                while (true)
                {
                    var mark = previousMark;
                    // Normally the mark committed during the last reply; then there is nothing to wait for inside the conversation.
                    Func<Task>? gate = mark is null || mark.IsCompletedSuccessfully && mark.Result ? null : () => MarkedOrThrowAsync(mark);
                    SendResult result;
                    var sending = Stopwatch.GetTimestamp();
                    try
                    {
                        result = await session.SendAsync(item.Message, gate, MarkWaitInsideConversation, ct);
                        metrics.Stage("send", sending);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A transport that breaks its promise not to throw: a temporary failure of this message, so the
                        // row follows the retry rule (and dead-letters after 48 h) instead of coming back forever.
                        logger.LogError(ex, "The mail transport failed for outbox row {OutboxId}", item.Row.Id);
                        result = new SendResult(item.Message.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, ex.Message);
                    }

                    if (MailSessionResults.WasNotAttempted(result))
                    {
                        // The previous mark is slow (the database is away): wait for it outside the SMTP conversation, as
                        // long as it takes, then offer this message again. It has not been sent.
                        if (!await mark!)
                        {
                            return; // that row was recovered by another run: our lease is gone
                        }

                        continue;
                    }

                    previousMark = await HandleResultAsync(item, result, token, marks, tally, unavailable, stopClaiming, ct);
                    break;
                }

                if (unavailable.Result is not null)
                {
                    return;
                }
            }
        }
        finally
        {
            if (previousMark is not null)
            {
                try
                {
                    await previousMark;
                }
                catch (OperationCanceledException)
                {
                    // Cancelled before the last mark committed: that row stays Sending and goes again (the one duplicate).
                }
            }
        }
    }

    private async Task MarkedOrThrowAsync(Task<bool> mark)
    {
        var waiting = Stopwatch.GetTimestamp();
        var marked = await mark;
        metrics.Stage("gate", waiting);
        if (!marked)
        {
            throw new InvalidOperationException("The previous row was taken over by another run.");
        }
    }

    /// <returns>The mark of a sent row, still committing; or the previous mark unchanged (null) for any other outcome.</returns>
    private async Task<Task<bool>?> HandleResultAsync(Item item, SendResult result, Guid token, OutboxSentMarks marks, Tally tally, ServerUnavailable unavailable, CancellationTokenSource stopClaiming, CancellationToken ct)
    {
        var row = item.Row;
        var now = clock.GetUtcNow();
        var first = new DateTimeOffset(row.FirstAttemptAtUtc ?? now.UtcDateTime, TimeSpan.Zero);
        var decision = retry.Next(Math.Max(1, row.Attempts), first, now, result.Outcome);
        switch (decision.State)
        {
            case DeliveryState.Sent:
                // On a task of its own: a provider whose "async" commands complete synchronously (SQLite) would otherwise
                // hold this sender until the commit is done, and the next envelope could not overlap with it. The next
                // message's content still waits for this mark (the gate in SendLoopAsync).
                return Task.Run(() => MarkSentAsync(marks, row.Id, token, now.UtcDateTime, result.StatusCode, tally, ct), CancellationToken.None);
            case DeliveryState.Retrying:
                if (result.ServerUnavailable && Interlocked.CompareExchange(ref unavailable.Result, result, null) is null)
                {
                    await stopClaiming.CancelAsync();
                }

                if (await MarkAsync(row, token, OutboxState.Retrying, decision.NextAttemptAt!.Value.UtcDateTime, result.StatusCode, result.Detail, ct))
                {
                    metrics.Retrying.Add(1);
                    tally.Retrying();
                }

                return null;
            default:
                logger.LogWarning("Outbox row {OutboxId} dead-lettered after {Attempts} attempt(s): {Status} {Detail}", row.Id, row.Attempts, result.StatusCode, result.Detail);
                if (await MarkAsync(row, token, OutboxState.DeadLetter, null, result.StatusCode, result.Detail, ct))
                {
                    metrics.DeadLettered.Add(1);
                    tally.DeadLettered();
                }

                return null;
        }
    }

    private async Task<bool> MarkSentAsync(OutboxSentMarks marks, Guid id, Guid token, DateTime at, int? status, Tally tally, CancellationToken ct)
    {
        var marking = Stopwatch.GetTimestamp();
        var marked = await marks.MarkSentAsync(id, token, at, status, ct);
        metrics.Stage("mark", marking);
        if (!marked)
        {
            logger.LogWarning("Sent outbox row {OutboxId} was taken over by another run before it could be marked Sent", id);
            return false;
        }

        metrics.Sent.Add(1);
        tally.Sent();
        return true;
    }

    /// <summary>
    /// After a pump: rows still Sending under our token were never handed over (or their sender was cancelled in the
    /// middle): after a server that could not be reached they wait for the retry rule like the message that found it
    /// away; otherwise they go back to Pending. False when the database could not be told.
    /// </summary>
    private async Task<bool> FinishAsync(Guid token, SendResult? unavailable, Tally tally)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            var left = await db.OutboxMessages.AsNoTracking().Where(o => o.State == OutboxState.Sending && o.ClaimToken == token).ToListAsync(CancellationToken.None);
            if (left.Count == 0)
            {
                return true;
            }

            if (unavailable is null)
            {
                await db.OutboxMessages.Where(o => o.State == OutboxState.Sending && o.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Pending).SetProperty(o => o.ClaimToken, (Guid?)null), CancellationToken.None);
                return true;
            }

            var now = clock.GetUtcNow();
            foreach (var row in left)
            {
                var first = new DateTimeOffset(row.FirstAttemptAtUtc ?? now.UtcDateTime, TimeSpan.Zero);
                var decision = retry.Next(Math.Max(1, row.Attempts), first, now, SendOutcome.TemporaryFailure);
                var state = decision.State == DeliveryState.Retrying ? OutboxState.Retrying : OutboxState.DeadLetter;
                if (await MarkAsync(row, token, state, decision.NextAttemptAt?.UtcDateTime, unavailable.StatusCode, unavailable.Detail, CancellationToken.None))
                {
                    if (state == OutboxState.Retrying)
                    {
                        metrics.Retrying.Add(1);
                        tally.Retrying();
                    }
                    else
                    {
                        metrics.DeadLettered.Add(1);
                        tally.DeadLettered();
                    }
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not hand back the outbox rows of run {Token}; the next run recovers them: {Error}", token, ex.Message);
            return false;
        }
    }

    private async Task<List<OutboxMessageEntity>> ClaimAsync(Guid token, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var stuck = now - StuckAfter;
        var candidates = await Due(db.OutboxMessages.AsNoTracking(), now, stuck, token)
            .OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id)
            .Select(o => o.Id).Take(BatchSize).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        // The state condition is evaluated again by the UPDATE: on PostgreSQL a row claimed by a concurrent batch
        // meanwhile no longer matches after that batch commits, so each row goes to exactly one batch.
        await Due(db.OutboxMessages.Where(o => candidates.Contains(o.Id)), now, stuck, token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sending)
                .SetProperty(o => o.ClaimToken, token)
                .SetProperty(o => o.ClaimedAtUtc, now)
                .SetProperty(o => o.Attempts, o => o.Attempts + 1)
                .SetProperty(o => o.FirstAttemptAtUtc, o => o.FirstAttemptAtUtc ?? now), ct);
        return await db.OutboxMessages.AsNoTracking()
            .Where(o => o.ClaimToken == token && o.State == OutboxState.Sending && candidates.Contains(o.Id))
            .OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).ToListAsync(ct);
    }

    /// <summary>Due rows; a row Sending under <paramref name="ownToken"/> is ours, waiting in the pipeline, never stuck.</summary>
    private static IQueryable<OutboxMessageEntity> Due(IQueryable<OutboxMessageEntity> rows, DateTime now, DateTime stuck, Guid? ownToken = null) =>
        rows.Where(o => o.State == OutboxState.Pending
            || (o.State == OutboxState.Retrying && o.NextAttemptAtUtc <= now)
            || (o.State == OutboxState.Sending && o.ClaimedAtUtc <= stuck && o.ClaimToken != ownToken));

    /// <summary>
    /// Runs <paramref name="work"/> again while the database is away (a restart: connections refused or broken), for
    /// up to <see cref="DatabaseAwayLimit"/>, so a short outage pauses the run instead of ending it.
    /// </summary>
    private async Task<T> WhileDatabaseAwayAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (IsDatabaseAway(ex) && attempt * DatabaseRetryDelay < DatabaseAwayLimit && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Outbox: the database did not answer ({Error}); trying again", ex.Message);
                await Task.Delay(DatabaseRetryDelay, ct);
            }
        }
    }

    private static readonly TimeSpan DatabaseRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a run waits for a database that went away before it gives up (the minute sweep tries again).</summary>
    public static readonly TimeSpan DatabaseAwayLimit = TimeSpan.FromMinutes(2);

    private static bool IsDatabaseAway(Exception ex) => ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException;

    /// <summary>Moves a row out of Sending, only if this run still holds it. False when it did not (another run took it over).</summary>
    private Task<bool> MarkAsync(OutboxMessageEntity row, Guid token, OutboxState state, DateTime? nextAttempt, int? status, string? error, CancellationToken ct) =>
        WhileDatabaseAwayAsync(() => MarkOnceAsync(row, token, state, nextAttempt, status, error, ct), ct);

    private async Task<bool> MarkOnceAsync(OutboxMessageEntity row, Guid token, OutboxState state, DateTime? nextAttempt, int? status, string? error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var detail = error is { Length: > 2000 } ? error[..2000] : error;
        var marked = await db.OutboxMessages
            .Where(o => o.Id == row.Id && o.State == OutboxState.Sending && o.ClaimToken == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, state)
                .SetProperty(o => o.ClaimToken, (Guid?)null)
                .SetProperty(o => o.NextAttemptAtUtc, nextAttempt)
                .SetProperty(o => o.LastStatusCode, status)
                .SetProperty(o => o.LastError, detail), ct);
        if (marked == 0)
        {
            logger.LogWarning("Outbox row {OutboxId} was taken over by another run before it could be marked {State}", row.Id, state);
        }

        return marked > 0;
    }
}
