using System.Globalization;
using System.Text;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Notifications.Calendar;

/// <summary>
/// Writes an iCalendar (RFC 5545) VCALENDAR with METHOD:PUBLISH: one VEVENT per item, all-day events as dates
/// (deadlines), timed events (meetings) in Europe/Stockholm with a TZID and a VTIMEZONE (so Outlook and Google show local times and follow
/// daylight-saving), lines folded at 75 octets and text escaped. Used for the .ics attachment of an email
/// (one event) and for the subscription feed <c>/calendar/{token}.ics</c> (all of a user's or body's events).
/// </summary>
public sealed class IcsFeedBuilder
{
    public const string ContentType = "text/calendar";

    /// <summary>The only zone with a VTIMEZONE below; items in any other zone are written in UTC.</summary>
    private const string StockholmZoneId = "Europe/Stockholm";

    private const string StockholmVTimeZone =
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\n" +
        "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n" +
        "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n" +
        "END:VTIMEZONE\r\n";

    private readonly TimeProvider _clock;
    private readonly StockholmTime _time;

    public IcsFeedBuilder(TimeProvider clock, StockholmTime time)
    {
        _clock = clock;
        _time = time;
    }

    /// <summary>The zone events are written in (the configured one).</summary>
    public StockholmTime Time => _time;

    /// <summary>A whole calendar. <paramref name="calendarName"/> becomes X-WR-CALNAME (shown by subscribing clients).</summary>
    /// <summary>The second a feed built now is stamped with (its DTSTAMP): two builds of the same items in one second are the same text.</summary>
    public long StampSecond => _clock.GetUtcNow().ToUnixTimeSeconds();

    public string Build(string calendarName, IEnumerable<IcsFeedItem> items)
    {
        var stamp = FormatUtc(_clock.GetUtcNow());
        var useTzid = _time.Zone.Id == StockholmZoneId;
        var sb = new StringBuilder();
        Line(sb, "BEGIN:VCALENDAR");
        Line(sb, "VERSION:2.0");
        Line(sb, "PRODID:-//AnnualCycle//Arshjulet//SV");
        Line(sb, "CALSCALE:GREGORIAN");
        Line(sb, "METHOD:PUBLISH");
        Line(sb, "X-WR-CALNAME:" + Escape(calendarName));
        if (useTzid)
        {
            Line(sb, "X-WR-TIMEZONE:" + StockholmZoneId);
            sb.Append(StockholmVTimeZone);
        }

        foreach (var item in items)
        {
            if (item.End < item.Start)
            {
                throw new ArgumentException($"Event {item.Uid} ends ({item.End:O}) before it starts ({item.Start:O}).", nameof(items));
            }

            Line(sb, "BEGIN:VEVENT");
            Line(sb, "UID:" + Escape(item.Uid));
            Line(sb, "SEQUENCE:" + item.Sequence.ToString(CultureInfo.InvariantCulture));
            Line(sb, "DTSTAMP:" + stamp);
            if (item.AllDay)
            {
                // RFC 5545 §3.6.1: DTEND of an all-day event is the day after its last day.
                Line(sb, "DTSTART;VALUE=DATE:" + FormatDate(_time.LocalDate(item.Start)));
                Line(sb, "DTEND;VALUE=DATE:" + FormatDate(_time.LocalDate(item.End).AddDays(1)));
            }
            else
            {
                Line(sb, "DTSTART" + FormatTime(item.Start, useTzid));
                Line(sb, "DTEND" + FormatTime(item.End, useTzid));
            }

            Line(sb, "SUMMARY:" + Escape(item.Title));
            if (!string.IsNullOrWhiteSpace(item.Description))
            {
                Line(sb, "DESCRIPTION:" + Escape(item.Description));
            }

            if (!string.IsNullOrWhiteSpace(item.Url))
            {
                Line(sb, "URL:" + item.Url.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));
            }

            if (item.Cancelled)
            {
                Line(sb, "STATUS:CANCELLED");
            }

            Line(sb, "TRANSP:TRANSPARENT");
            Line(sb, "END:VEVENT");
        }

        Line(sb, "END:VCALENDAR");
        return sb.ToString();
    }

    private string FormatTime(DateTimeOffset instant, bool useTzid) => useTzid
        ? ";TZID=Europe/Stockholm:" + _time.ToLocal(instant).ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture)
        : ":" + FormatUtc(instant);

    private static string FormatDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string FormatUtc(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    /// <summary>TEXT escaping of RFC 5545 §3.3.11: backslash, semicolon, comma and line breaks.</summary>
    internal static string Escape(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace(";", "\\;", StringComparison.Ordinal)
        .Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("\r\n", "\\n", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal)
        .Replace("\r", "\\n", StringComparison.Ordinal);

    /// <summary>Appends a content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence.</summary>
    private static void Line(StringBuilder sb, string line)
    {
        var octets = 0;
        var limit = 75;
        for (var i = 0; i < line.Length; i++)
        {
            var isPair = char.IsHighSurrogate(line[i]) && i + 1 < line.Length;
            var size = isPair ? 4 : Encoding.UTF8.GetByteCount(line.AsSpan(i, 1));
            if (octets + size > limit)
            {
                sb.Append("\r\n ");
                octets = 1;
                limit = 75;
            }

            sb.Append(line[i]);
            if (isPair)
            {
                sb.Append(line[++i]);
            }

            octets += size;
        }

        sb.Append("\r\n");
    }
}
