using System.Diagnostics;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Tests.Infrastructure;
using MimeKit;

namespace AnnualCycle.Tests.Notifications.Sending;

/// <summary>MailKit against a real SMTP server (aiosmtpd), reading what arrived back from its maildir.</summary>
public class SmtpMailTransportTests
{
    [Fact]
    public async Task SendBatch_DeliversFiftyMessages_OverOneConnection_Plain()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));

        await AssertBatchArrivesAsync(server, transport, 50);
    }

    [Fact]
    public async Task SendBatch_DeliversMessages_OverStartTls_WithTheTestCertificateAccepted()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.StartTls);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.StartTls, acceptAnyCertificate: true));

        await AssertBatchArrivesAsync(server, transport, 20);
    }

    [Fact]
    public async Task SendBatch_DeliversMessages_OverImplicitTls()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Tls);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.Tls, acceptAnyCertificate: true));

        await AssertBatchArrivesAsync(server, transport, 5);
    }

    [Fact]
    public async Task SendBatch_UsesTheGivenCertificateValidation_InsteadOfAcceptingAny()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.StartTls);
        using var pinned = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(server.CertificatePath!));
        var seen = 0;
        var transport = new SmtpMailTransport(
            TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.StartTls),
            (_, certificate, _, _) =>
            {
                Interlocked.Increment(ref seen);
                return certificate is not null && certificate.GetCertHashString() == pinned.GetCertHashString();
            });

        var results = await transport.SendBatchAsync(await MessagesAsync(3));

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task SendBatch_FailsTemporarily_WhenTheSelfSignedCertificateIsNotAccepted()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.StartTls);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.StartTls));

        var results = await transport.SendBatchAsync(await MessagesAsync(2));

        Assert.All(results, r => Assert.Equal(SendOutcome.TemporaryFailure, r.Outcome));
        Assert.Empty(server.ReceivedMessages());
    }

    [Fact]
    public async Task SendBatch_PlainToAStartTlsOnlyServer_FailsTemporarily_NotDeadLettered()
    {
        // A settings mistake (Security None against a server that requires STARTTLS: "530 Must issue a STARTTLS
        // command first") refuses every message alike; none may be dead-lettered for it.
        using var server = new SmtpServerFixture(SmtpServerMode.StartTls);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));

        var results = await transport.SendBatchAsync(await MessagesAsync(3));

        Assert.Equal(3, results.Count);
        Assert.All(results, r => Assert.Equal(SendOutcome.TemporaryFailure, r.Outcome));
        Assert.Equal(530, results[0].StatusCode);
        Assert.Empty(server.ReceivedMessages());
    }

    [Fact]
    public async Task SendBatch_Gives550AsPermanent_And451AsTemporary_AndDeliversTheRest()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));
        var messages = await MessagesAsync(4, i => i switch
        {
            1 => "reject-me@region.example",
            2 => "tempfail@region.example",
            _ => $"ok{i}@region.example",
        });

        var results = await transport.SendBatchAsync(messages);

        Assert.Equal(SendOutcome.Sent, results[0].Outcome);
        Assert.Equal(SendOutcome.PermanentFailure, results[1].Outcome);
        Assert.Equal(550, results[1].StatusCode);
        Assert.Contains("no such user", results[1].Detail);
        Assert.Equal(SendOutcome.TemporaryFailure, results[2].Outcome);
        Assert.Equal(451, results[2].StatusCode);
        Assert.Contains("try later", results[2].Detail);
        Assert.Equal(SendOutcome.Sent, results[3].Outcome);
        var received = server.WaitForMessages(2);
        Assert.Equal(["ok0@region.example", "ok3@region.example"], received.Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task SendBatch_AMessageOverTheServersSizeLimit_IsRefusedPermanently_AndTheRestIsDelivered()
    {
        // The transport declares no SIZE (MailKit would write each message once more to count it): the server refuses an
        // oversized message at the end of its DATA instead, and that is as permanent as a refusal at MAIL FROM.
        using var server = new SmtpServerFixture(SmtpServerMode.SizeLimited);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));
        var messages = await MessagesAsync(3);
        Assert.IsAssignableFrom<Multipart>(messages[1].Body).Add(new TextPart("plain") { Text = new string('x', 2 * SmtpServerFixture.SizeLimit) });

        var results = await transport.SendBatchAsync(messages);

        Assert.Equal(SendOutcome.Sent, results[0].Outcome);
        Assert.Equal(SendOutcome.PermanentFailure, results[1].Outcome);
        Assert.Equal(552, results[1].StatusCode);
        Assert.Equal(SendOutcome.Sent, results[2].Outcome);
        Assert.Equal(["person0@region.example", "person2@region.example"], server.WaitForMessages(2).Select(m => m.To.Mailboxes.Single().Address).Order());
    }

    [Fact]
    public async Task SendBatch_ServerStopped_FailsTemporarilyAtOnce_ThenDeliversWhenItIsBack()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));
        var messages = await MessagesAsync(10);

        server.Stop();
        var watch = Stopwatch.StartNew();
        var failed = await transport.SendBatchAsync(messages);
        watch.Stop();

        Assert.Equal(10, failed.Count);
        Assert.All(failed, r => Assert.Equal(SendOutcome.TemporaryFailure, r.Outcome));
        Assert.Contains("Connection", failed[0].Detail);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");

        server.Start();
        var sent = await transport.SendBatchAsync(messages);

        Assert.All(sent, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.Equal(10, server.WaitForMessages(10).Count);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task SendBatch_ReconnectsOnce_WhenTheConnectionDropsMidBatch()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));
        var messages = await MessagesAsync(4, i => i == 1 ? "drop@region.example" : $"ok{i}@region.example");

        var results = await transport.SendBatchAsync(messages);

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        Assert.Equal(4, server.WaitForMessages(4).Count);
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task SendBatch_TimesOut_WhenTheServerNeverAnswers_AndFailsTheBatchTemporarily()
    {
        // A socket that accepts connections and never sends the SMTP greeting.
        var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
            var transport = new SmtpMailTransport(TestEmails.SmtpOptions("127.0.0.1", port, SmtpSecurity.None, timeoutSeconds: 1));
            var messages = await MessagesAsync(5);

            var watch = Stopwatch.StartNew();
            var results = await transport.SendBatchAsync(messages);

            Assert.Equal(5, results.Count);
            Assert.All(results, r => Assert.Equal(SendOutcome.TemporaryFailure, r.Outcome));
            Assert.Contains("Timed out after 1 s", results[0].Detail);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"one timeout for the whole batch, took {watch.Elapsed}");
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public async Task SendBatch_ReportsEachMessageByItsMessageId_InOrder()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        var transport = new SmtpMailTransport(TestEmails.SmtpOptions(server.Host, server.Port, SmtpSecurity.None));
        var messages = await MessagesAsync(3);

        var results = await transport.SendBatchAsync(messages);

        Assert.Equal(messages.Select(m => m.MessageId), results.Select(r => r.MessageId));
    }

    private static async Task AssertBatchArrivesAsync(SmtpServerFixture server, SmtpMailTransport transport, int count)
    {
        var messages = await MessagesAsync(count);

        var results = await transport.SendBatchAsync(messages);

        Assert.All(results, r => Assert.Equal(SendOutcome.Sent, r.Outcome));
        var received = server.WaitForMessages(count);
        Assert.Equal(count, received.Count);
        Assert.Equal(1, server.ConnectionCount);
        var byId = received.ToDictionary(m => m.MessageId ?? string.Empty);
        foreach (var sent in messages)
        {
            var got = byId[sent.MessageId ?? string.Empty];
            var to = sent.To.Mailboxes.Single().Address;
            Assert.Equal(to, got.To.Mailboxes.Single().Address);
            Assert.Equal(to, got.Headers["X-RcptTo"]);
            Assert.Equal("arshjul@region.example", got.Headers["X-MailFrom"]);
            Assert.Equal(sent.Subject, got.Subject);
            Assert.Contains("senast fredag 14 april 2028 kl. 23.59", got.TextBody);
            Assert.Contains("<a href=\"https://arshjul.region.example/steg/42\"", got.HtmlBody);
            var ics = Assert.IsAssignableFrom<MimePart>(Assert.Single(got.Attachments));
            using var stream = new MemoryStream();
            await ics.Content!.DecodeToAsync(stream);
            var calendar = Ical.Net.Calendar.Load(System.Text.Encoding.UTF8.GetString(stream.ToArray()))!;
            // The deadline is an all-day event on the due date (IcsFeedBuilder).
            Assert.Equal(new DateOnly(2028, 4, 14), Assert.Single(calendar.Events)!.DtStart!.Date);
        }
    }

    /// <summary>Reminders as the outbox builds them (MimeMessageBuilder), each with its deadline's .ics.</summary>
    internal static async Task<List<MimeMessage>> MessagesAsync(int count, Func<int, string>? address = null)
    {
        var renderer = TestEmails.Renderer();
        var builder = TestEmails.Builder();
        var messages = new List<MimeMessage>();
        for (var i = 0; i < count; i++)
        {
            var model = TestEmails.Reminder(address: address?.Invoke(i) ?? $"person{i}@region.example");
            var content = await renderer.RenderAsync(model);
            messages.Add(builder.Build(Guid.NewGuid(), model.Recipient, content, TestEmails.Deadline()));
        }

        return messages;
    }
}
