using MimeKit;

namespace AnnualCycle.Notifications.Sending;

/// <summary>What became of one message handed to a transport.</summary>
public enum SendOutcome
{
    /// <summary>The server accepted it (250 after DATA), or it was written to the pick-up folder.</summary>
    Sent,

    /// <summary>Worth trying again: a 4xx reply, no connection, a dropped connection or a timeout.</summary>
    TemporaryFailure,

    /// <summary>Will never succeed as it is: a 5xx reply (unknown user, refused sender) or a message that cannot be sent.</summary>
    PermanentFailure,
}

/// <summary>The result for one message of a batch.</summary>
/// <param name="MessageId">The message's Message-ID (without angle brackets): which outbox row this is.</param>
/// <param name="StatusCode">The SMTP reply code when the server gave one (250, 451, 550 …).</param>
/// <param name="Detail">The server's text or the error, for the outbox row and the administrator.</param>
public sealed record SendResult(string MessageId, SendOutcome Outcome, int? StatusCode = null, string? Detail = null)
{
    public bool IsSent => Outcome == SendOutcome.Sent;
}

/// <summary>
/// Sends a batch of messages. Never throws for a message that fails: each gets its own <see cref="SendResult"/>,
/// in the order given. Throws only <see cref="OperationCanceledException"/> when cancelled; results already
/// obtained are then lost, so the caller re-sends that batch (at most that batch, as the outbox promises).
/// </summary>
public interface IMailTransport
{
    Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default);
}
