using System.Text;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Notifications.Sending;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AnnualCycle.Notifications.Mime;

/// <summary>
/// Builds the MIME message of one outbox row: From, To, Subject, a Message-ID derived from the row's id (so a
/// re-sent row is recognisably the same message), multipart/alternative text + HTML and, for an email about a
/// deadline, a <c>text/calendar; method=PUBLISH</c> attachment. Refuses CR/LF in any header value.
/// </summary>
public sealed class MimeMessageBuilder
{
    private readonly EmailOptions _options;
    private readonly IcsFeedBuilder _ics;
    private readonly TimeProvider _clock;
    private readonly MailboxAddress _from;

    public MimeMessageBuilder(IOptions<EmailOptions> options, IcsFeedBuilder ics, TimeProvider clock)
    {
        _options = options.Value;
        _ics = ics;
        _clock = clock;
        HeaderGuard.NoLineBreaks(_options.From, "Email:From");
        if (!MailboxAddress.TryParse(_options.From, out var from))
        {
            throw new InvalidEmailHeaderException("Email:From", $"'{_options.From}' is not an address.");
        }

        EmailAddressValidator.EnsureValid(from.Address, "Email:From");
        _from = from;
    }

    /// <summary>The Message-ID of an outbox row: <c>{id:N}@{domain of Email:From}</c>, shown in angle brackets.</summary>
    public string MessageIdFor(Guid outboxId) => $"{outboxId:N}@{_from.Domain}";

    public MimeMessage Build(Guid outboxId, EmailRecipient to, RenderedEmail content, DeadlineEvent? deadline = null)
    {
        var name = HeaderGuard.NoLineBreaks(to.Name, "To (name)");
        var address = EmailAddressValidator.EnsureValid(HeaderGuard.NoLineBreaks(to.Address, "To (address)"), "To (address)");
        var subject = HeaderGuard.NoLineBreaks(content.Subject, "Subject");

        var message = new MimeMessage();
        // A new address for every message: an address list subscribes to its addresses' Changed event, so one address
        // shared by all messages would keep every message ever built alive (MimeMessageBuilderTests).
        message.From.Add(new MailboxAddress(_from.Name, _from.Address));
        message.To.Add(new MailboxAddress(name, address));
        message.Subject = subject;
        message.MessageId = MessageIdFor(outboxId);
        message.Date = _clock.GetUtcNow();
        // RFC 3834: tells out-of-office responders not to answer an automatic reminder.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        message.Headers.Add("X-AnnualCycle-Outbox-Id", outboxId.ToString("D"));

        // Every part names its transfer encoding here. MailKit's SmtpClient would choose one when sending, but the
        // pick-up folder writes the message as built, and å, ä, ö in an 8-bit part without a Content-Transfer-Encoding
        // header are read as garbage by some readers; quoted-printable keeps the text 7-bit and readable.
        // The outermost part is holdable (Sending.IHoldableBody): an SMTP session can hold back the end of the data until
        // the outbox has recorded the previous message as sent, while this one's content already goes.
        var text = new TextPart("plain") { Text = content.Text, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        var html = new TextPart("html") { Text = content.Html, ContentTransferEncoding = ContentEncoding.QuotedPrintable };
        if (deadline is null)
        {
            message.Body = new HoldableAlternative { text, html };
            return message;
        }

        var calendar = new MimePart("text", "calendar")
        {
            // Already in base64, as the part says: MimeKit writes it as it is instead of encoding it for every send.
            Content = new MimeContent(new MemoryStream(EncodedCalendar(deadline), writable: false), ContentEncoding.Base64),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "deadline.ics" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        calendar.ContentType.Parameters.Add("method", "PUBLISH");
        calendar.ContentType.Charset = "utf-8";
        calendar.ContentType.Name = "deadline.ics";

        message.Body = new HoldableMultipart("mixed") { new MultipartAlternative { text, html }, calendar };
        return message;
    }

    /// <summary>
    /// The base64 of a deadline's .ics, made once per deadline and second: every recipient of a step's email gets the
    /// same event (the fan-out of one step to its nämnd's people), and the event's DTSTAMP, the only part that moves with
    /// time, is whole seconds. Bounded: cleared when it holds <see cref="CalendarCacheLimit"/> deadlines.
    /// </summary>
    private byte[] EncodedCalendar(DeadlineEvent deadline)
    {
        var key = (deadline, _ics.StampSecond);
        if (_calendars.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var ics = Encoding.UTF8.GetBytes(_ics.Build(deadline.Title, [deadline.ToFeedItem(_ics.Time)]));
        using var encoded = new MemoryStream(ics.Length * 4 / 3 + 64);
        using (var filtered = new MimeKit.IO.FilteredStream(encoded))
        {
            filtered.Add(MimeKit.IO.Filters.EncoderFilter.Create(ContentEncoding.Base64));
            filtered.Write(ics, 0, ics.Length);
            filtered.Flush();
        }

        var bytes = encoded.ToArray();
        if (_calendars.Count >= CalendarCacheLimit)
        {
            _calendars.Clear();
        }

        _calendars[key] = bytes;
        return bytes;
    }

    private const int CalendarCacheLimit = 2000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(DeadlineEvent Deadline, long Second), byte[]> _calendars = new();
}

/// <summary>Renders an email and builds its MIME message in one call: what the dispatcher needs per outbox row.</summary>
public sealed class EmailComposer(IEmailRenderer renderer, MimeMessageBuilder builder)
{
    /// <summary>The message and the template problems met while rendering it (the built-in was used for those).</summary>
    public sealed record Composed(MimeMessage Message, IReadOnlyList<string> Problems);

    public async Task<Composed> ComposeAsync(Guid outboxId, EmailModel model, DeadlineEvent? deadline = null, CancellationToken cancellationToken = default)
    {
        var content = await renderer.RenderAsync(model, cancellationToken);
        return new Composed(builder.Build(outboxId, model.Recipient, content, deadline), content.Problems);
    }
}
