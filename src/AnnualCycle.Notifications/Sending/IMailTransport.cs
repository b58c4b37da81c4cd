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
    /// <summary>
    /// The failure is the server's or the settings' (no connection, no login, our sender refused), not this message's:
    /// every later message would fail alike, so a caller stops sending for now.
    /// </summary>
    public bool ServerUnavailable { get; init; }
}

/// <summary>
/// Sends a batch of messages. Never throws for a message that fails: each gets its own <see cref="SendResult"/>,
/// in the order given. Throws only <see cref="OperationCanceledException"/> when cancelled; results already
/// obtained are then lost, so the caller re-sends that batch (at most that batch, as the outbox promises).
/// </summary>
public interface IMailTransport
{
    Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// A session that keeps its connection for many messages, one at a time, with a hook just before each message can
    /// be accepted. A transport without sessions of its own sends each message as a batch of one.
    /// </summary>
    ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IMailSession>(new OneByOneMailSession(this));
}

/// <summary>
/// One connection used for message after message (<see cref="IMailTransport.OpenSessionAsync"/>). Not thread-safe:
/// one message at a time. Never throws for a message that fails (like <see cref="IMailTransport.SendBatchAsync"/>),
/// only <see cref="OperationCanceledException"/>.
/// </summary>
public interface IMailSession : IAsyncDisposable
{
    /// <summary>
    /// Sends <paramref name="message"/>. <paramref name="beforeEnd"/>, when given, is awaited before the server could
    /// possibly accept the message: the outbox waits there until the previous message is durably recorded as sent, so
    /// that at most one accepted message is ever unrecorded. Over SMTP, a body built by the outbox
    /// (<see cref="IHoldableBody"/>) goes whole, envelope and content, and only its end of data waits for the hook; any
    /// other message waits before its envelope. When the hook fails or takes longer than
    /// <paramref name="beforeEndTimeout"/>, the message is not delivered: the result is a
    /// <see cref="SendOutcome.TemporaryFailure"/> with <see cref="MailSessionResults.NotAttempted"/> as its detail.
    /// </summary>
    Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default);
}

public static class MailSessionResults
{
    /// <summary>The detail of a result whose message was held back before it could be accepted (the hook failed or timed out).</summary>
    public const string NotAttempted = "Not attempted: the previous message was not yet recorded as sent.";

    public static bool WasNotAttempted(SendResult result) => result.Outcome == SendOutcome.TemporaryFailure && result.Detail == NotAttempted;

    /// <summary>The result of <paramref name="message"/> held back (<see cref="NotAttempted"/>).</summary>
    public static SendResult NotAttemptedFor(MimeMessage message) =>
        new(message.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, NotAttempted);

    /// <summary>
    /// Awaits a session's hook (<see cref="IMailSession.SendAsync"/>) for at most <paramref name="timeout"/>: whether it
    /// completed successfully. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static async Task<bool> HookPassesAsync(Func<Task> hook, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await hook().WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>A session over a transport without sessions: the hook, then a batch of one.</summary>
public sealed class OneByOneMailSession(IMailTransport transport) : IMailSession
{
    public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default)
    {
        if (beforeEnd is not null && !await MailSessionResults.HookPassesAsync(beforeEnd, beforeEndTimeout, cancellationToken))
        {
            return MailSessionResults.NotAttemptedFor(message);
        }

        var results = await transport.SendBatchAsync([message], cancellationToken);
        return results.Count > 0
            ? results[0]
            : new SendResult(message.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, "The transport gave no result for this message.");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
