using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AnnualCycle.Notifications.Sending;

/// <summary>
/// Sends a batch over ONE SMTP connection with MailKit: connect (and authenticate, when a user name is set) once,
/// send every message, disconnect. A reply of 4xx to one message is a temporary failure of that message only, 5xx
/// a permanent one; the connection goes on with the next message. When the connection drops, it reconnects once and
/// tries that message again; when it cannot connect, the rest of the batch fails temporarily at once rather than
/// waiting for a timeout per message. Every message has the configured timeout (30 s) for connect and send.
/// A connection lost after DATA but before the server's reply makes that one message go again on the new
/// connection: a rare duplicate is preferred to a lost reminder (its Message-ID is the same both times).
/// </summary>
public sealed class SmtpMailTransport : IMailTransport
{
    private readonly SmtpOptions _smtp;
    private readonly RemoteCertificateValidationCallback? _certificateValidation;
    private readonly ILogger<SmtpMailTransport> _logger;

    /// <param name="options">Email options; <see cref="SmtpOptions.Host"/> must be set.</param>
    /// <param name="certificateValidation">Overrides certificate validation (tests with a self-signed server);
    /// null uses the system's validation, or accepts any when <see cref="SmtpOptions.AcceptAnyCertificate"/>.</param>
    /// <param name="logger">Logger.</param>
    public SmtpMailTransport(
        IOptions<EmailOptions> options,
        RemoteCertificateValidationCallback? certificateValidation = null,
        ILogger<SmtpMailTransport>? logger = null)
    {
        _smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(_smtp.Host))
        {
            throw new InvalidOperationException("Email:Smtp:Host is not set; use the pick-up folder transport instead.");
        }

        _certificateValidation = certificateValidation
            ?? (_smtp.AcceptAnyCertificate ? (_, _, _, _) => true : null);
        _logger = logger ?? NullLogger<SmtpMailTransport>.Instance;
    }

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, _smtp.TimeoutSeconds));

    public async Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default)
    {
        var results = new List<SendResult>(messages.Count);
        if (messages.Count == 0)
        {
            return results;
        }

        await using var session = new Session(this);
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await session.SendAsync(message, null, Timeout, cancellationToken);
            results.Add(result);
            if (result.ServerUnavailable)
            {
                // No connection (or no login) could be made: the rest of the batch would fail the same way, each
                // after its own timeout. They stay for the outbox's next try.
                foreach (var rest in messages.Skip(results.Count))
                {
                    results.Add(new SendResult(rest.MessageId ?? string.Empty, SendOutcome.TemporaryFailure, null, result.Detail) { ServerUnavailable = true });
                }

                break;
            }
        }

        return results;
    }

    /// <summary>One connection kept for message after message, connected on the first and again after a drop.</summary>
    public ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<IMailSession>(new Session(this));

    private sealed class Session(SmtpMailTransport transport) : IMailSession
    {
        private readonly SmtpClient _client = transport.CreateClient();

        public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default)
        {
            var holdable = message.Body as IHoldableBody;
            if (beforeEnd is not null && holdable is null)
            {
                // A body whose end cannot be held: wait before anything of this message goes.
                if (!await MailSessionResults.HookPassesAsync(beforeEnd, beforeEndTimeout, cancellationToken))
                {
                    return MailSessionResults.NotAttemptedFor(message);
                }

                beforeEnd = null;
            }

            if (holdable is not null && beforeEnd is not null)
            {
                // The whole content goes, then the hook, then the end of data (IHoldableBody). Sent again after a dropped
                // connection, the message waits again: by then the hook's task is normally complete.
                holdable.BeforeEnd = async ct =>
                {
                    if (!await MailSessionResults.HookPassesAsync(beforeEnd, beforeEndTimeout, ct))
                    {
                        throw new ContentHeldBackException();
                    }
                };
            }

            try
            {
                var (result, unreachable) = await transport.SendOneAsync(_client, message, retryAfterDrop: true, cancellationToken);
                return unreachable ? result with { ServerUnavailable = true } : result;
            }
            finally
            {
                if (holdable is not null)
                {
                    holdable.BeforeEnd = null;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await QuietDisconnectAsync(_client);
            _client.Dispose();
        }
    }

    /// <summary>
    /// Thrown from inside MailKit's write of a held body when the hook fails or times out: MailKit then drops the
    /// connection without sending the end of data, so the server discards what it got of this message.
    /// </summary>
    private sealed class ContentHeldBackException() : Exception(MailSessionResults.NotAttempted);

    /// <returns>The result, and whether the failure is the server's or the settings' (cannot connect, log in, or use
    /// our sender): then every later message of the batch would fail alike.</returns>
    private async Task<(SendResult Result, bool Unreachable)> SendOneAsync(SmtpClient client, MimeMessage message, bool retryAfterDrop, CancellationToken cancellationToken)
    {
        var id = message.MessageId ?? string.Empty;
        var hadConnection = client.IsConnected;
        var connecting = false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            if (!client.IsConnected)
            {
                connecting = true;
                await ConnectAsync(client, timeout.Token);
                connecting = false;
            }

            var reply = await client.SendAsync(message, timeout.Token);
            return (new SendResult(id, SendOutcome.Sent, 250, reply), false);
        }
        catch (ContentHeldBackException)
        {
            // MailKit closed the connection in the middle of the data, without its end: the server has nothing to
            // deliver. The next message connects again.
            await QuietDisconnectAsync(client);
            return (MailSessionResults.NotAttemptedFor(message), false);
        }
        catch (SmtpCommandException ex)
        {
            var code = (int)ex.StatusCode;
            // A refusal while connecting (a 421 or 554 greeting, a failed STARTTLS), of our sender address, or for
            // want of TLS or a login (530) is about the server or our settings, not this message: it would refuse
            // every message alike, so the batch stops and nothing is dead-lettered while an administrator fixes it.
            var serverLevel = connecting || ex.ErrorCode == SmtpErrorCode.SenderNotAccepted || code == 530;
            var outcome = code is >= 400 and < 500 || serverLevel ? SendOutcome.TemporaryFailure : SendOutcome.PermanentFailure;
            _logger.LogWarning("SMTP refused {MessageId}: {Code} {Text}", id, code, ex.Message);
            // Otherwise a reply to one message (a 550 for its recipient, a 554 for its content) says nothing about
            // the next one; a 421 closes the connection and the next message reconnects.
            return (new SendResult(id, outcome, code, ex.Message), serverLevel);
        }
        catch (ServiceNotAuthenticatedException ex)
        {
            // 530: the server wants TLS or a login our settings do not give; every message would get the same.
            return (new SendResult(id, SendOutcome.TemporaryFailure, 530, "SMTP server requires TLS or authentication: " + ex.Message), true);
        }
        catch (AuthenticationException ex)
        {
            // Wrong credentials are a configuration error the administrator fixes; keep the messages until then.
            return (new SendResult(id, SendOutcome.TemporaryFailure, null, "SMTP authentication failed: " + ex.Message), true);
        }
        catch (Exception ex) when (IsConnectionFailure(ex, cancellationToken))
        {
            var detail = ex is OperationCanceledException or TimeoutException || timeout.IsCancellationRequested
                ? $"Timed out after {Timeout.TotalSeconds:0} s talking to {_smtp.Host}:{_smtp.Port}."
                : $"Connection to {_smtp.Host}:{_smtp.Port} failed: {ex.Message}";
            await QuietDisconnectAsync(client);
            // Only a connection that worked and then dropped is worth one more try now; a server that cannot be
            // reached is retried later by the outbox, not here.
            if (retryAfterDrop && hadConnection)
            {
                _logger.LogInformation("SMTP connection dropped while sending {MessageId}; reconnecting once. {Detail}", id, detail);
                return await SendOneAsync(client, message, retryAfterDrop: false, cancellationToken);
            }

            _logger.LogWarning("SMTP temporary failure for {MessageId}: {Detail}", id, detail);
            return (new SendResult(id, SendOutcome.TemporaryFailure, null, detail), connecting);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // MailKit refuses a message it cannot send at all (no recipients, no sender): sending again will not help.
            return (new SendResult(id, SendOutcome.PermanentFailure, null, ex.Message), false);
        }
    }

    private static bool IsConnectionFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or SslHandshakeException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private SmtpClient CreateClient()
    {
        // The per-message deadline is the cancellation token (Timeout for connect + send of one message);
        // MailKit's own per-read timeout is a backstop a little later, so the reported reason is consistent.
        var client = new SmtpClient { Timeout = (int)(Timeout + TimeSpan.FromSeconds(5)).TotalMilliseconds };
        if (_certificateValidation is not null)
        {
            client.ServerCertificateValidationCallback = _certificateValidation;
        }

        return client;
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        var security = _smtp.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        // Our own socket with Nagle off: MailKit leaves it on, and the small "." that ends each DATA then waits for the
        // server's delayed ACK (~40 ms), which held a batch to ~19 messages/s (bench dispatch --smtp).
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_smtp.Host!, _smtp.Port, cancellationToken);
            await client.ConnectAsync(socket, _smtp.Host!, _smtp.Port, security, cancellationToken);
            // No SIZE declaration (RFC 1870 makes it optional): MailKit writes the whole message once more to count its
            // octets for it, a third of the sending's processor time for our few-kilobyte messages, far under any server's
            // limit. A message over the limit is still refused, at the end of its DATA (552), and dead-lettered.
            // No CHUNKING either: BDAT declares the size too, and a message ends where its announced octets do, so only
            // DATA's end line lets a held body (IHoldableBody) wait with all of its content on the server.
            client.Capabilities &= ~(SmtpCapabilities.Size | SmtpCapabilities.Chunking | SmtpCapabilities.BinaryMime);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (!string.IsNullOrEmpty(_smtp.UserName))
        {
            await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? string.Empty, cancellationToken);
        }
    }

    private static async Task QuietDisconnectAsync(SmtpClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        try
        {
            using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.DisconnectAsync(quit: true, quit.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException)
        {
            // The server is gone already; nothing to close politely.
        }
    }
}
