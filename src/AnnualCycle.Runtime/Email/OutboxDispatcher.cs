using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Sending;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
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
/// Sends the outbox. One batch: claim up to <see cref="BatchSize"/> due rows (Pending, Retrying whose time has come,
/// or Sending for longer than <see cref="StuckAfter"/>) with a conditional update that stamps them with this batch's
/// token, render each, hand them all to ONE <see cref="IMailTransport.SendBatchAsync"/> call (one connection), then
/// mark each row — again only where it is still Sending under this token, so a row is never marked twice.
/// </summary>
/// <remarks>
/// A crash (or cancellation) between sending and marking leaves the batch Sending; it is claimed again after
/// <see cref="StuckAfter"/> and sent again: at most that batch goes twice, with the same Message-IDs. Time comes
/// only from the injected <see cref="TimeProvider"/>.
/// </remarks>
public sealed class OutboxDispatcher(
    IDbContextFactory<AnnualCycleDbContext> contexts,
    TimeProvider clock,
    IMailTransport transport,
    OutboxEmailBuilder builder,
    RetryPolicy retry,
    JobLease lease,
    EmailMetrics metrics,
    ILogger<OutboxDispatcher> logger)
{
    public const int BatchSize = 200;
    public const string LeaseName = "outbox-dispatcher";
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(5);

    /// <summary>Sends everything due, batch after batch, unless another run holds the dispatcher's lease (then <see cref="DispatchSummary.Skipped"/>).</summary>
    public async Task<DispatchSummary> RunAsync(CancellationToken ct = default)
    {
        var holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        var total = DispatchSummary.Empty;
        // A wake-up that came while this run held the lease was skipped; a row it announced may have been committed
        // after our last claim. So after letting go, look once more before leaving it to the minute sweep.
        for (var round = 0; round < 3; round++)
        {
            if (!await lease.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct))
            {
                return round == 0 ? DispatchSummary.Empty with { Skipped = true } : total;
            }

            try
            {
                while (true)
                {
                    var batch = await DispatchBatchAsync(ct);
                    total += batch;
                    if (batch.Claimed == 0)
                    {
                        break;
                    }

                    await lease.TryAcquireAsync(LeaseName, holder, LeaseDuration, ct);
                }
            }
            finally
            {
                await lease.ReleaseAsync(LeaseName, holder, CancellationToken.None);
            }

            if (!await AnyDueAsync(ct))
            {
                break;
            }
        }

        return total;
    }

    private async Task<bool> AnyDueAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return await Due(db.OutboxMessages.AsNoTracking(), now, now - StuckAfter).AnyAsync(ct);
    }

    /// <summary>Claims, sends and marks one batch. Safe to run concurrently with itself: each row is claimed by one batch only.</summary>
    public async Task<DispatchSummary> DispatchBatchAsync(CancellationToken ct = default)
    {
        var token = Guid.NewGuid();
        var rows = await ClaimAsync(token, ct);
        if (rows.Count == 0)
        {
            return DispatchSummary.Empty;
        }

        var now = clock.GetUtcNow();
        var prepared = await builder.PrepareAsync(rows, now, ct);
        var summary = DispatchSummary.Empty with { Claimed = rows.Count };
        var toSend = new List<(OutboxMessageEntity Row, MimeMessage Message)>();
        foreach (var row in rows)
        {
            var outcome = prepared[row.Id];
            switch (outcome)
            {
                case OutboxEmailBuilder.Ready ready:
                    toSend.Add((row, ready.Message));
                    break;
                case OutboxEmailBuilder.Drop drop:
                    if (await MarkAsync(row, token, OutboxState.Dropped, null, null, null, drop.Reason, ct))
                    {
                        metrics.Dropped.Add(1);
                        summary = summary with { Dropped = summary.Dropped + 1 };
                    }

                    break;
                case OutboxEmailBuilder.Digest digest:
                    if (await MarkAsync(row, token, OutboxState.Digested, null, null, null, digest.Reason, ct))
                    {
                        summary = summary with { Digested = summary.Digested + 1 };
                    }

                    break;
                case OutboxEmailBuilder.Unsendable bad:
                    logger.LogWarning("Outbox row {OutboxId} cannot be sent: {Reason}", row.Id, bad.Reason);
                    if (await MarkAsync(row, token, OutboxState.DeadLetter, null, null, null, bad.Reason, ct))
                    {
                        metrics.DeadLettered.Add(1);
                        summary = summary with { DeadLettered = summary.DeadLettered + 1 };
                    }

                    break;
            }
        }

        if (toSend.Count == 0)
        {
            return summary;
        }

        // One call, one connection for the whole batch. Cancelled here: the rows stay Sending under this token and
        // are claimed again after StuckAfter (we cannot know which of them the server accepted).
        IReadOnlyList<SendResult> results;
        try
        {
            results = await transport.SendBatchAsync(toSend.Select(s => s.Message).ToList(), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A transport that breaks its promise not to throw: count it as a temporary failure of every message, so
            // the rows follow the retry rule (and dead-letter after 48 h) instead of coming back every 5 minutes forever.
            logger.LogError(ex, "The mail transport failed for a batch of {Count}", toSend.Count);
            results = toSend.Select(s => new SendResult(s.Message.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, ex.Message)).ToList();
        }

        var after = clock.GetUtcNow();
        var sent = new List<(Guid Id, int? StatusCode)>(toSend.Count);
        for (var i = 0; i < toSend.Count; i++)
        {
            var (row, message) = toSend[i];
            var result = i < results.Count && results[i].MessageId == message.MessageId
                ? results[i]
                : results.FirstOrDefault(r => r.MessageId == message.MessageId)
                  ?? new SendResult(message.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, "The transport gave no result for this message.");
            var first = new DateTimeOffset(row.FirstAttemptAtUtc ?? after.UtcDateTime, TimeSpan.Zero);
            var decision = retry.Next(Math.Max(1, row.Attempts), first, after, result.Outcome);
            switch (decision.State)
            {
                case DeliveryState.Sent:
                    sent.Add((row.Id, result.StatusCode)); // marked together below
                    break;
                case DeliveryState.Retrying:
                    if (await MarkAsync(row, token, OutboxState.Retrying, decision.NextAttemptAt!.Value.UtcDateTime, null, result.StatusCode, result.Detail, ct))
                    {
                        metrics.Retrying.Add(1);
                        summary = summary with { Retrying = summary.Retrying + 1 };
                    }

                    break;
                default:
                    logger.LogWarning("Outbox row {OutboxId} dead-lettered after {Attempts} attempt(s): {Status} {Detail}", row.Id, row.Attempts, result.StatusCode, result.Detail);
                    if (await MarkAsync(row, token, OutboxState.DeadLetter, null, null, result.StatusCode, result.Detail, ct))
                    {
                        metrics.DeadLettered.Add(1);
                        summary = summary with { DeadLettered = summary.DeadLettered + 1 };
                    }

                    break;
            }
        }

        var marked = await MarkSentAsync(sent, token, after.UtcDateTime, ct);
        metrics.Sent.Add(marked);
        return summary with { Sent = summary.Sent + marked };
    }

    /// <summary>
    /// Marks the sent rows of a batch with one statement per reply code instead of one per row: on SQLite each
    /// statement is its own commit, and marking row by row held the pick-up folder below 200 messages/s
    /// (<c>bench dispatch</c>). Only rows still Sending under this token are marked, as in <see cref="MarkAsync"/>.
    /// </summary>
    private async Task<int> MarkSentAsync(List<(Guid Id, int? StatusCode)> sent, Guid token, DateTime sentAt, CancellationToken ct)
    {
        if (sent.Count == 0)
        {
            return 0;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var marked = 0;
        foreach (var group in sent.GroupBy(s => s.StatusCode))
        {
            var ids = group.Select(s => s.Id).ToList();
            var status = group.Key;
            marked += await db.OutboxMessages
                .Where(o => ids.Contains(o.Id) && o.State == OutboxState.Sending && o.ClaimToken == token)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.State, OutboxState.Sent)
                    .SetProperty(o => o.ClaimToken, (Guid?)null)
                    .SetProperty(o => o.NextAttemptAtUtc, (DateTime?)null)
                    .SetProperty(o => o.SentAtUtc, sentAt)
                    .SetProperty(o => o.LastStatusCode, status)
                    .SetProperty(o => o.LastError, (string?)null), ct);
        }

        if (marked < sent.Count)
        {
            logger.LogWarning("{Count} sent outbox row(s) were taken over by another batch before they could be marked Sent", sent.Count - marked);
        }

        return marked;
    }

    private async Task<List<OutboxMessageEntity>> ClaimAsync(Guid token, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var stuck = now - StuckAfter;
        var candidates = await Due(db.OutboxMessages.AsNoTracking(), now, stuck)
            .OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id)
            .Select(o => o.Id).Take(BatchSize).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return [];
        }

        // The state condition is evaluated again by the UPDATE: on PostgreSQL a row claimed by a concurrent batch
        // meanwhile no longer matches after that batch commits, so each row goes to exactly one batch.
        await Due(db.OutboxMessages.Where(o => candidates.Contains(o.Id)), now, stuck)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sending)
                .SetProperty(o => o.ClaimToken, token)
                .SetProperty(o => o.ClaimedAtUtc, now)
                .SetProperty(o => o.Attempts, o => o.Attempts + 1)
                .SetProperty(o => o.FirstAttemptAtUtc, o => o.FirstAttemptAtUtc ?? now), ct);
        return await db.OutboxMessages.AsNoTracking().Where(o => o.ClaimToken == token).OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).ToListAsync(ct);
    }

    private static IQueryable<OutboxMessageEntity> Due(IQueryable<OutboxMessageEntity> rows, DateTime now, DateTime stuck) =>
        rows.Where(o => o.State == OutboxState.Pending
            || (o.State == OutboxState.Retrying && o.NextAttemptAtUtc <= now)
            || (o.State == OutboxState.Sending && o.ClaimedAtUtc <= stuck));

    /// <summary>Moves a row out of Sending, only if this batch still holds it. False when it did not (another batch took it over).</summary>
    private async Task<bool> MarkAsync(OutboxMessageEntity row, Guid token, OutboxState state, DateTime? nextAttempt, DateTime? sentAt, int? status, string? error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var detail = error is { Length: > 2000 } ? error[..2000] : error;
        var marked = await db.OutboxMessages
            .Where(o => o.Id == row.Id && o.State == OutboxState.Sending && o.ClaimToken == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, state)
                .SetProperty(o => o.ClaimToken, (Guid?)null)
                .SetProperty(o => o.NextAttemptAtUtc, nextAttempt)
                .SetProperty(o => o.SentAtUtc, o => sentAt ?? o.SentAtUtc)
                .SetProperty(o => o.LastStatusCode, status)
                .SetProperty(o => o.LastError, detail), ct);
        if (marked == 0)
        {
            logger.LogWarning("Outbox row {OutboxId} was taken over by another batch before it could be marked {State}", row.Id, state);
        }

        return marked > 0;
    }
}
