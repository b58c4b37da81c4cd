using System.Diagnostics;
using System.Threading.Channels;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications.Sending;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

/// <summary>The senders of a pump: one SMTP connection each, message after message, each row's Sent mark pipelined with the next message's envelope and content.</summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>
    /// One connection: message after message, each one's end of data (the moment the server may accept it) only after
    /// the previous one's Sent mark committed.
    /// </summary>
    private async Task SendLoopAsync(Guid token, ChannelReader<Item> reader, OutboxSentMarks marks, Tally tally, ServerUnavailable unavailable, CancellationTokenSource stopClaiming, CancellationToken ct)
    {
        await using var session = await transport.OpenSessionAsync(ct);
        OutboxSentMarks.Mark? previousMark = null;
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
                    // Normally the mark commits while this message's envelope and content go; then there is nothing to wait for.
                    // Otherwise the transport holds the end of data for the mark's Committed task, which the marks' writer
                    // completes directly (faulted when the row was taken over: then the end does not go, and the server
                    // discards the message).
                    long gateFrom = 0;
                    Func<Task>? gate = mark is null || mark.Committed.IsCompletedSuccessfully ? null : () =>
                    {
                        gateFrom = Stopwatch.GetTimestamp();
                        return mark.Committed;
                    };
                    SendResult result;
                    var sending = Stopwatch.GetTimestamp();
                    try
                    {
                        result = await session.SendAsync(item.Message, gate, MarkWaitInsideConversation, ct);
                        metrics.Stage("send", sending);
                        if (gateFrom != 0)
                        {
                            metrics.Stage("gate", gateFrom, mark!.CommittedAt is var at and > 0 ? Math.Max(at, gateFrom) : Stopwatch.GetTimestamp());
                        }
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
                        if (!await mark!.Marked)
                        {
                            return; // that row was recovered by another run: our lease is gone
                        }

                        continue;
                    }

                    // Done with the message: disposing it releases its parts at once (MimeKit's entities have finalizers,
                    // and leaving thousands a second to the finalizer thread cost the senders CPU).
                    item.Message.Dispose();
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
                    await previousMark.Marked;
                }
                catch (OperationCanceledException)
                {
                    // Cancelled before the last mark committed: that row stays Sending and goes again (the one duplicate).
                }
            }
        }
    }

    /// <returns>The mark of a sent row, still committing; or the previous mark unchanged (null) for any other outcome.</returns>
    private async Task<OutboxSentMarks.Mark?> HandleResultAsync(Item item, SendResult result, Guid token, OutboxSentMarks marks, Tally tally, ServerUnavailable unavailable, CancellationTokenSource stopClaiming, CancellationToken ct)
    {
        var row = item.Row;
        var now = clock.GetUtcNow();
        var first = new DateTimeOffset(row.FirstAttemptAtUtc ?? now.UtcDateTime, TimeSpan.Zero);
        var decision = retry.Next(Math.Max(1, row.Attempts), first, now, result.Outcome);
        switch (decision.State)
        {
            case DeliveryState.Sent:
                // Committed by the marks' own writer thread, together with the marks other connections asked for meanwhile,
                // while this sender goes on with the next message's envelope and content. That message's end of data
                // still waits for this mark (the gate in SendLoopAsync).
                return MarkSent(marks, row.Id, token, now.UtcDateTime, result.StatusCode, tally, ct);
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

    /// <summary>Asks for the row's Sent mark; its bookkeeping (metrics, tally, a warning when taken over) runs on the marks' writer as it is answered.</summary>
    private OutboxSentMarks.Mark MarkSent(OutboxSentMarks marks, Guid id, Guid token, DateTime at, int? status, Tally tally, CancellationToken ct)
    {
        var marking = Stopwatch.GetTimestamp();
        return marks.Ask(id, token, at, status, ct, marked =>
        {
            metrics.Stage("mark", marking);
            if (!marked)
            {
                logger.LogWarning("Sent outbox row {OutboxId} was taken over by another run before it could be marked Sent", id);
                return;
            }

            metrics.Sent.Add(1);
            tally.Sent();
        });
    }
}
