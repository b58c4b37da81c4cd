using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Tests.Infrastructure;
using MimeKit;

namespace AnnualCycle.Tests.Notifications.Sending;

/// <summary>
/// A session's hook before a message can be accepted (the outbox waits there for the previous row's Sent mark), against
/// aiosmtpd behind a relay that shows what reached the server: an outbox message's whole content goes at once, and only
/// its end of data (the line with a single dot, the moment the server may accept it) waits for the hook. A message that
/// ends without it is not delivered.
/// </summary>
public class SmtpSessionHoldTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Hook_RunsAfterTheContentReachedTheServer_WhichAcceptsTheMessageOnlyAfterTheHook()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var relay = new RecordingRelay(server.Host, server.Port);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(relay.Host, relay.Port, SmtpSecurity.None));
        var messages = await SmtpMailTransportTests.MessagesAsync(2);
        await using var session = await transport.OpenSessionAsync();
        Assert.Equal(SendOutcome.Sent, (await session.SendAsync(messages[0], null, Long)).Outcome);
        var closing = ClosingDelimiter(messages[1]);

        var contentReachedTheServer = false;
        var deliveredWhileHeld = -1;
        var endSentWhileHeld = true;
        var result = await session.SendAsync(messages[1], async () =>
        {
            contentReachedTheServer = await relay.WaitForSentAsync(closing, TimeSpan.FromSeconds(5));
            await Task.Delay(300); // the time the server would take to accept, had the end of data gone
            deliveredWhileHeld = server.ReceivedMessages().Count;
            var sent = relay.Sent;
            endSentWhileHeld = sent.Contains(closing, StringComparison.Ordinal) && sent[sent.LastIndexOf(closing, StringComparison.Ordinal)..].Contains("\r\n.\r\n", StringComparison.Ordinal);
        }, Long);

        Assert.True(contentReachedTheServer, "the message's content had not reached the server when the hook ran");
        Assert.False(endSentWhileHeld, "the end of data went before the hook was over");
        Assert.Equal(1, deliveredWhileHeld);
        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal(messages.Select(m => m.MessageId), server.WaitForMessages(2).Select(m => m.MessageId));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Theory]
    [InlineData("fails")]
    [InlineData("outlasts its timeout")]
    public async Task Hook_ThatFails_LeavesTheServerWithContentButNoEnd_SoNothingIsDelivered_AndTheNextMessageGoesOnANewConnection(string how)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var relay = new RecordingRelay(server.Host, server.Port);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(relay.Host, relay.Port, SmtpSecurity.None));
        var messages = await SmtpMailTransportTests.MessagesAsync(3);
        await using var session = await transport.OpenSessionAsync();
        Assert.Equal(SendOutcome.Sent, (await session.SendAsync(messages[0], null, Long)).Outcome);

        var contentReachedTheServer = false;
        var never = new TaskCompletionSource();
        var held = await session.SendAsync(messages[1], async () =>
        {
            contentReachedTheServer = await relay.WaitForSentAsync(ClosingDelimiter(messages[1]), TimeSpan.FromSeconds(5));
            if (how == "fails")
            {
                throw new InvalidOperationException("the previous row was taken over by another run");
            }

            await never.Task;
        }, how == "fails" ? Long : TimeSpan.FromSeconds(6));
        var next = await session.SendAsync(messages[2], null, Long);

        Assert.True(contentReachedTheServer, "the message's content had not reached the server when the hook ran");
        Assert.True(MailSessionResults.WasNotAttempted(held), $"{held.Outcome}: {held.Detail}");
        Assert.Equal(SendOutcome.Sent, next.Outcome);
        server.WaitForMessages(2);
        await Task.Delay(300); // had the held message been delivered after all, it would be in the maildir by now
        Assert.Equal([messages[0].MessageId, messages[2].MessageId], server.ReceivedMessages().Select(m => m.MessageId));
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task Hook_ForABodyTheTransportCannotHoldAtItsEnd_RunsBeforeAnythingOfTheMessageGoes()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var relay = new RecordingRelay(server.Host, server.Port);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(relay.Host, relay.Port, SmtpSecurity.None));
        var first = (await SmtpMailTransportTests.MessagesAsync(1))[0];
        var plain = new MimeMessage();
        plain.From.Add(MailboxAddress.Parse("arshjul@region.example"));
        plain.To.Add(MailboxAddress.Parse("person@region.example"));
        plain.Subject = "Inte från utkorgen";
        plain.Body = new TextPart("plain") { Text = "En enda textdel." };
        await using var session = await transport.OpenSessionAsync();
        Assert.Equal(SendOutcome.Sent, (await session.SendAsync(first, null, Long)).Outcome);

        var envelopesAtHook = -1;
        var result = await session.SendAsync(plain, () =>
        {
            envelopesAtHook = relay.Sent.Split("MAIL FROM:").Length - 1;
            return Task.CompletedTask;
        }, Long);

        Assert.Equal(1, envelopesAtHook);
        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal("Inte från utkorgen", server.WaitForMessages(2)[1].Subject);
    }

    /// <summary>The last line of a built message: its outermost multipart's closing delimiter.</summary>
    private static string ClosingDelimiter(MimeMessage message) => $"--{Assert.IsAssignableFrom<Multipart>(message.Body).Boundary}--";
}
