using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Notifications.Sending;
using MimeKit;

namespace AnnualCycle.Tests.Notifications.Mime;

public class MimeMessageBuilderTests
{
    private static readonly Guid OutboxId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    [Fact]
    public async Task Build_HasHeadersAlternativePartsAndCalendar()
    {
        var content = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());
        var message = TestEmails.Builder().Build(OutboxId, TestEmails.Reminder().Recipient, content, TestEmails.Deadline());

        Assert.Equal("0f8fad5bd9cb469fa16570867728950e@region.example", message.MessageId);
        Assert.Equal("arshjul@region.example", message.From.Mailboxes.Single().Address);
        Assert.Equal("Årshjulet", message.From.Mailboxes.Single().Name);
        Assert.Equal("sekreterare@region.example", message.To.Mailboxes.Single().Address);
        Assert.Equal(content.Subject, message.Subject);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal(TestEmails.Now, message.Date);

        var mixed = Assert.IsType<HoldableMultipart>(message.Body); // an SMTP session can hold its end (SmtpSessionHoldTests)
        Assert.Equal("mixed", mixed.ContentType.MediaSubtype);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(content.Text, alternative.TextBody);
        Assert.Equal(content.Html, alternative.HtmlBody);
        var calendar = Assert.IsType<MimePart>(mixed[1]);
        Assert.Equal("text/calendar", calendar.ContentType.MimeType);
        Assert.Equal("PUBLISH", calendar.ContentType.Parameters["method"]);
        Assert.EndsWith(".ics", calendar.FileName);
    }

    [Fact]
    public async Task EveryPart_NamesItsTransferEncoding_AndTheEmlInThePickupFolderIsSevenBit()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("annualcycle-pickup-").FullName, "mail-pickup");
        try
        {
            var content = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());
            var builder = TestEmails.Builder();
            var message = builder.Build(OutboxId, TestEmails.Reminder().Recipient, content, TestEmails.Deadline());

            await new AnnualCycle.Notifications.Sending.PickupFolderMailTransport(folder).SendBatchAsync([message]);

            var path = Path.Combine(folder, builder.MessageIdFor(OutboxId) + ".eml");
            var bytes = await File.ReadAllBytesAsync(path);
            Assert.All(bytes, b => Assert.True(b < 128, "the .eml holds an 8-bit byte"));
            var loaded = MimeMessage.Load(path);
            var parts = loaded.BodyParts.OfType<MimePart>().ToList();
            Assert.Equal(3, parts.Count);
            Assert.All(parts, p => Assert.True(p.Headers.Contains(HeaderId.ContentTransferEncoding), $"{p.ContentType.MimeType} has no Content-Transfer-Encoding"));
            Assert.Equal(
                [ContentEncoding.QuotedPrintable, ContentEncoding.QuotedPrintable, ContentEncoding.Base64],
                parts.Select(p => p.ContentTransferEncoding));
            Assert.Equal(content.Text, loaded.TextBody);
            Assert.Equal(content.Html, loaded.HtmlBody);
            Assert.Contains("Hälso- och sjukvårdsnämnden", loaded.TextBody);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public async Task CalendarAttachment_IsTheFeedBuildersEventToTheByte_SharedWithinASecond_StampedAgainTheNext()
    {
        var clock = TestEmails.Clock();
        var builder = TestEmails.Builder(clock);
        var ics = new AnnualCycle.Notifications.Calendar.IcsFeedBuilder(clock, Tests.Infrastructure.TestZone.Stockholm);
        var content = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());
        string Attachment(MimeMessage message)
        {
            var part = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "text/calendar");
            using var decoded = new MemoryStream();
            part.Content!.DecodeTo(decoded);
            return System.Text.Encoding.UTF8.GetString(decoded.ToArray());
        }

        string Expected() => ics.Build(TestEmails.Deadline().Title, [TestEmails.Deadline().ToFeedItem(ics.Time)]);

        var first = Attachment(builder.Build(OutboxId, TestEmails.Reminder().Recipient, content, TestEmails.Deadline()));
        clock.Advance(TimeSpan.FromMilliseconds(400));
        var sameSecond = Attachment(builder.Build(Guid.NewGuid(), TestEmails.Reminder().Recipient, content, TestEmails.Deadline()));
        Assert.Equal(Expected(), first);
        Assert.Equal(first, sameSecond);

        clock.Advance(TimeSpan.FromSeconds(1));
        var nextSecond = Attachment(builder.Build(Guid.NewGuid(), TestEmails.Reminder().Recipient, content, TestEmails.Deadline()));
        Assert.Equal(Expected(), nextSecond);
        Assert.Contains("DTSTAMP:20261123T120001Z", nextSecond);
        Assert.NotEqual(first, nextSecond);

        // Another deadline (moved: a new SEQUENCE) in the same second is its own event, never the cached one.
        var moved = Attachment(builder.Build(Guid.NewGuid(), TestEmails.Reminder().Recipient, content, TestEmails.Deadline(sequence: 1)));
        Assert.Contains("SEQUENCE:1", moved);
    }

    /// <summary>
    /// A built message must be free to go once it is sent. MimeKit's address list subscribes to each address's Changed
    /// event, so one From address shared by every message held every message ever built (17 KB each, forever: 43,000
    /// messages alive 40 s into <c>bench email</c>) and made each new message copy the whole subscriber list.
    /// </summary>
    [Fact]
    public async Task BuiltMessages_AreNotKeptAlive_ByTheBuilder()
    {
        var content = await TestEmails.Renderer().RenderAsync(TestEmails.Reminder());
        var builder = TestEmails.Builder();
        var built = BuildAndForget(builder, content, 50);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.Equal(0, built.Count(m => m.TryGetTarget(out _)));
        // Still the same From, name and address, on a message built afterwards.
        var next = builder.Build(OutboxId, TestEmails.Reminder().Recipient, content);
        Assert.Equal(("Årshjulet", "arshjul@region.example"), (next.From.Mailboxes.Single().Name, next.From.Mailboxes.Single().Address));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<WeakReference<MimeMessage>> BuildAndForget(MimeMessageBuilder builder, RenderedEmail content, int count) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            using var message = builder.Build(Guid.NewGuid(), TestEmails.Reminder().Recipient, content, TestEmails.Deadline());
            return new WeakReference<MimeMessage>(message);
        }).ToList();

    [Fact]
    public void MessageId_IsTheSame_ForTheSameOutboxRow()
    {
        var builder = TestEmails.Builder();
        Assert.Equal(builder.MessageIdFor(OutboxId), TestEmails.Builder().MessageIdFor(OutboxId));
        Assert.NotEqual(builder.MessageIdFor(OutboxId), builder.MessageIdFor(Guid.NewGuid()));
    }

    [Fact]
    public void Build_WithoutDeadline_IsOnlyMultipartAlternative()
    {
        var message = TestEmails.Builder().Build(OutboxId, TestEmails.Reminder().Recipient, new RenderedEmail("Test", "<p>x</p>", "x", []));
        Assert.IsType<HoldableAlternative>(message.Body);
    }

    [Theory]
    [InlineData("Påminnelse\r\nBcc: evil@example.com", "Subject")]
    [InlineData("Påminnelse\nX", "Subject")]
    [InlineData("Påminnelse\rX", "Subject")]
    public void Build_RefusesLineBreaksInSubject(string subject, string field)
    {
        var ex = Assert.Throws<InvalidEmailHeaderException>(() =>
            TestEmails.Builder().Build(OutboxId, TestEmails.Reminder().Recipient, new RenderedEmail(subject, "h", "t", [])));
        Assert.Equal(field, ex.Field);
        Assert.Contains("line break", ex.Message);
    }

    [Fact]
    public void Build_RefusesLineBreaksInRecipientName_AndBadAddresses()
    {
        var content = new RenderedEmail("s", "h", "t", []);
        Assert.Throws<InvalidEmailHeaderException>(() =>
            TestEmails.Builder().Build(OutboxId, new EmailRecipient("Anna\r\nBcc: x@y.se", "anna@region.se"), content));
        Assert.Throws<InvalidEmailHeaderException>(() =>
            TestEmails.Builder().Build(OutboxId, new EmailRecipient("Anna", "anna@region.se\nBcc: x@y.se"), content));
        Assert.Throws<InvalidEmailHeaderException>(() =>
            TestEmails.Builder().Build(OutboxId, new EmailRecipient("Anna", "not-an-address"), content));
    }
}
