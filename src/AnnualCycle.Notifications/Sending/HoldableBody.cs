using MimeKit;
using MimeKit.IO;

namespace AnnualCycle.Notifications.Sending;

/// <summary>
/// A message body whose end an SMTP session can hold back (<see cref="IMailSession.SendAsync"/>'s hook): the whole
/// content goes to the server, then <see cref="BeforeEnd"/> is awaited, and only after it does MailKit send the end of
/// data, the line with a single dot that lets the server accept the message. Until then a crash or a dropped connection
/// leaves the server nothing to deliver (RFC 5321 4.1.1.4: mail data without its end is not a message). So the outbox's
/// wait for the previous row's Sent mark overlaps this message's envelope and content instead of standing between them.
/// <see cref="Mime.MimeMessageBuilder"/> makes every outbox message's body one of these.
/// </summary>
public interface IHoldableBody
{
    /// <summary>Awaited once the body is written and flushed to the server; null (the default) holds nothing.</summary>
    Func<CancellationToken, Task>? BeforeEnd { get; set; }
}

/// <summary>multipart/mixed (or another subtype) with an end that can be held: <see cref="IHoldableBody"/>.</summary>
public sealed class HoldableMultipart(string subtype) : Multipart(subtype), IHoldableBody
{
    public Func<CancellationToken, Task>? BeforeEnd { get; set; }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
        HeldEnd.After(() => base.WriteTo(options, stream, contentOnly, cancellationToken), BeforeEnd, stream, cancellationToken);

    public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
        HeldEnd.AfterAsync(base.WriteToAsync(options, stream, contentOnly, cancellationToken), BeforeEnd, stream, cancellationToken);
}

/// <summary>
/// multipart/alternative with an end that can be held (<see cref="IHoldableBody"/>); a <see cref="MultipartAlternative"/>
/// so that the message's TextBody and HtmlBody find both parts.
/// </summary>
public sealed class HoldableAlternative : MultipartAlternative, IHoldableBody
{
    public Func<CancellationToken, Task>? BeforeEnd { get; set; }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
        HeldEnd.After(() => base.WriteTo(options, stream, contentOnly, cancellationToken), BeforeEnd, stream, cancellationToken);

    public override Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
        HeldEnd.AfterAsync(base.WriteToAsync(options, stream, contentOnly, cancellationToken), BeforeEnd, stream, cancellationToken);
}

/// <summary>The hold itself, shared by the holdable bodies: push what is written to the server, then wait.</summary>
internal static class HeldEnd
{
    /// <summary>Awaits <paramref name="writing"/> (the body's own write), then holds.</summary>
    public static async Task AfterAsync(Task writing, Func<CancellationToken, Task>? beforeEnd, Stream stream, CancellationToken cancellationToken)
    {
        await writing;
        if (beforeEnd is null)
        {
            return;
        }

        // MailKit's data stream is a FilteredStream (dot-stuffing) over its buffered SMTP stream. A FilteredStream's flush
        // only hands its filters' output down, so each stream below is flushed too: the content goes now and the server
        // has it while the hook waits. MailKit flushes again after the body, which then writes nothing more.
        for (var s = stream; s is not null; s = (s as FilteredStream)?.Source)
        {
            await s.FlushAsync(cancellationToken);
        }

        await beforeEnd(cancellationToken);
    }

    /// <summary>The same for MailKit's synchronous send (the transport uses the asynchronous one).</summary>
    public static void After(Action write, Func<CancellationToken, Task>? beforeEnd, Stream stream, CancellationToken cancellationToken)
    {
        write();
        if (beforeEnd is null)
        {
            return;
        }

        for (var s = stream; s is not null; s = (s as FilteredStream)?.Source)
        {
            s.Flush();
        }

        beforeEnd(cancellationToken).GetAwaiter().GetResult();
    }
}
