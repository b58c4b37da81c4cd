using AnnualCycle.Domain.Organisations;

namespace AnnualCycle.Runtime.Meetings;

/// <summary>One meeting read from an import file, with where it was found (for messages).</summary>
public sealed record ParsedMeeting(string BodyId, DateOnly Date, string? Title, string Where);

/// <summary>
/// Reads a sammanträdesplan for one calendar year from CSV or iCalendar, validating every line before anything is
/// returned: an unknown body, a bad date or a date outside the year is a problem naming its place. The problems are in
/// Swedish (the process owner reads them), each starting with its place: <c>rad 4:12: …</c>.
/// </summary>
/// <remarks>
/// <para>CSV: a header line <c>organ;datum[;rubrik]</c> or <c>body,date[,title]</c> (any order, case-insensitive, the
/// Swedish and English names may be mixed), then one meeting per line. The
/// separator is <c>;</c> when the header contains one, else <c>,</c>. Fields may be double-quoted (<c>""</c> inside
/// quotes is a quote). Dates are <c>yyyy-MM-dd</c>. Problems are named <c>rad N:K</c> (line and column, 1-based, the
/// field's first character).</para>
/// <para>iCalendar: every VEVENT is a meeting. Its body is named by <c>CATEGORIES</c>: the first category that is a
/// body id (e.g. <c>RF</c>) or a body's name (e.g. <c>Regionfullmäktige</c>), case-insensitive. Its date is the date of
/// <c>DTSTART</c> (a UTC time is converted to Europe/Stockholm first); its title is <c>SUMMARY</c>. Problems are named
/// by the event's UID and the line of its <c>BEGIN:VEVENT</c> (<c>VEVENT uid på rad N</c>).</para>
/// </remarks>
public static class MeetingFileParser
{
    public static bool LooksLikeICalendar(string? contentType, string text) =>
        (contentType?.StartsWith("text/calendar", StringComparison.OrdinalIgnoreCase) ?? false)
        || text.TrimStart('\uFEFF', ' ', '\r', '\n', '\t').StartsWith("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase);

    /// <param name="zone">The organisation's zone: a UTC <c>DTSTART</c> is a meeting on its local date there.</param>
    public static (List<ParsedMeeting> Meetings, List<string> Problems) Parse(string? contentType, string text, Organisation organisation, int year, StockholmTime zone) =>
        LooksLikeICalendar(contentType, text) ? ParseICalendar(text, organisation, year, zone) : ParseCsv(text, organisation, year);

    public static (List<ParsedMeeting> Meetings, List<string> Problems) ParseCsv(string text, Organisation organisation, int year)
    {
        var meetings = new List<ParsedMeeting>();
        var problems = new List<string>();
        var lines = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var headerIndex = lines.FindIndex(l => l.Trim().Length > 0);
        if (headerIndex < 0)
        {
            problems.Add("rad 1:1: filen är tom; första raden ska vara rubrikraden organ;datum;rubrik (eller body,date,title)");
            return (meetings, problems);
        }

        var separator = lines[headerIndex].Contains(';') ? ';' : ',';
        var header = Split(lines[headerIndex], separator);
        int Column(string swedish, string english) => header.FindIndex(f =>
            string.Equals(f.Value.Trim(), swedish, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Value.Trim(), english, StringComparison.OrdinalIgnoreCase));
        var (bodyColumn, dateColumn, titleColumn) = (Column("organ", "body"), Column("datum", "date"), Column("rubrik", "title"));
        if (bodyColumn < 0 || dateColumn < 0)
        {
            problems.Add($"rad {headerIndex + 1}:1: rubrikraden ska ha kolumnerna organ och datum (och gärna rubrik), eller body och date (och title), åtskilda med ; eller ,");
            return (meetings, problems);
        }

        for (var i = headerIndex + 1; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var line = i + 1;
            var fields = Split(lines[i], separator);
            if (fields.Count <= Math.Max(bodyColumn, dateColumn))
            {
                problems.Add($"rad {line}:1: {header.Count} fält åtskilda med '{separator}' väntades, raden har {fields.Count}");
                continue;
            }

            var bodyField = fields[bodyColumn];
            var dateField = fields[dateColumn];
            var body = FindBody(organisation, bodyField.Value.Trim());
            if (body is null)
            {
                problems.Add($"rad {line}:{bodyField.Column}: okänt organ '{bodyField.Value.Trim()}' i organisationen (ange organets id, t.ex. RF, eller namn)");
            }

            var date = ParseDate(dateField.Value.Trim(), year, out var dateProblem);
            if (dateProblem is not null)
            {
                problems.Add($"rad {line}:{dateField.Column}: {dateProblem}");
            }

            if (body is not null && date is { } d)
            {
                var title = titleColumn >= 0 && titleColumn < fields.Count ? fields[titleColumn].Value.Trim() : null;
                meetings.Add(new ParsedMeeting(body.Id, d, string.IsNullOrEmpty(title) ? null : Limit(title), $"rad {line}"));
            }
        }

        if (meetings.Count == 0 && problems.Count == 0)
        {
            problems.Add($"rad {headerIndex + 2}:1: filen har inga sammanträden efter rubrikraden");
        }

        return (meetings, problems);
    }

    public static (List<ParsedMeeting> Meetings, List<string> Problems) ParseICalendar(string text, Organisation organisation, int year, StockholmTime zone)
    {
        var meetings = new List<ParsedMeeting>();
        var problems = new List<string>();
        Dictionary<string, (string Value, int Line)>? current = null;
        var eventLine = 0;
        foreach (var (content, line) in Unfold(text))
        {
            if (content.Equals("BEGIN:VEVENT", StringComparison.OrdinalIgnoreCase))
            {
                current = new Dictionary<string, (string, int)>(StringComparer.OrdinalIgnoreCase);
                eventLine = line;
                continue;
            }

            if (content.Equals("END:VEVENT", StringComparison.OrdinalIgnoreCase) && current is not null)
            {
                Event(current, eventLine);
                current = null;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            var colon = content.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var nameAndParameters = content[..colon];
            var name = nameAndParameters.Split(';')[0];
            current.TryAdd(name, (content[(colon + 1)..], line));
        }

        if (current is not null)
        {
            problems.Add($"VEVENT på rad {eventLine}: END:VEVENT saknas");
        }

        if (meetings.Count == 0 && problems.Count == 0)
        {
            problems.Add("rad 1: filen har ingen VEVENT (inget sammanträde)");
        }

        return (meetings, problems);

        void Event(Dictionary<string, (string Value, int Line)> properties, int at)
        {
            var uid = properties.TryGetValue("UID", out var u) ? u.Value : "(utan UID)";
            var where = $"VEVENT {uid} på rad {at}";
            Domain.Organisations.Body? body = null;
            if (!properties.TryGetValue("CATEGORIES", out var categories))
            {
                problems.Add($"{where}: CATEGORIES ska ange organet (dess id eller namn)");
            }
            else
            {
                var names = SplitText(categories.Value);
                body = names.Select(n => FindBody(organisation, n)).FirstOrDefault(b => b is not null);
                if (body is null)
                {
                    problems.Add($"{where}, rad {categories.Line}: CATEGORIES '{string.Join(",", names)}' anger inget organ i organisationen");
                }
            }

            DateOnly? date = null;
            if (!properties.TryGetValue("DTSTART", out var start))
            {
                problems.Add($"{where}: DTSTART saknas");
            }
            else
            {
                date = ParseICalDate(start.Value.Trim(), year, zone, out var dateProblem);
                if (dateProblem is not null)
                {
                    problems.Add($"{where}, rad {start.Line}: DTSTART {dateProblem}");
                }
            }

            if (body is not null && date is { } d)
            {
                var title = properties.TryGetValue("SUMMARY", out var s) ? Unescape(s.Value).Trim() : null;
                meetings.Add(new ParsedMeeting(body.Id, d, string.IsNullOrEmpty(title) ? null : Limit(title), where));
            }
        }
    }

    private static Body? FindBody(Organisation organisation, string idOrName) =>
        organisation.FindBody(idOrName) ?? organisation.Bodies.FirstOrDefault(b => string.Equals(b.Name, idOrName, StringComparison.OrdinalIgnoreCase));

    private static DateOnly? ParseDate(string value, int year, out string? problem)
    {
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problem = $"'{value}' är inget datum (åååå-mm-dd)";
            return null;
        }

        problem = date.Year == year ? null : $"{value} ligger utanför {year}";
        return problem is null ? date : null;
    }

    private static DateOnly? ParseICalDate(string value, int year, StockholmTime zone, out string? problem)
    {
        DateOnly date;
        if (value.Length >= 16 && value.EndsWith('Z')
            && DateTime.TryParseExact(value, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            date = zone.LocalDate(new DateTimeOffset(utc, TimeSpan.Zero));
        }
        else if (value.Length < 8 || !DateOnly.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            problem = $"'{value}' är inget datum (ååååmmdd eller ååååmmddTttmmss)";
            return null;
        }

        problem = date.Year == year ? null : $"{date:yyyy-MM-dd} ligger utanför {year}";
        return problem is null ? date : null;
    }

    /// <summary>RFC 5545 unfolding: a line starting with a space or a tab continues the previous one.</summary>
    private static IEnumerable<(string Content, int Line)> Unfold(string text)
    {
        var lines = text.TrimStart('\uFEFF').Split('\n');
        StringBuilder? current = null;
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (current is not null && line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                current.Append(line, 1, line.Length - 1);
                continue;
            }

            if (current is not null)
            {
                yield return (current.ToString(), start);
            }

            current = new StringBuilder(line);
            start = i + 1;
        }

        if (current is not null)
        {
            yield return (current.ToString(), start);
        }
    }

    private static List<string> SplitText(string value)
    {
        var result = new List<string>();
        var item = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                item.Append(value[++i] is 'n' or 'N' ? '\n' : value[i]);
            }
            else if (value[i] == ',')
            {
                result.Add(item.ToString().Trim());
                item.Clear();
            }
            else
            {
                item.Append(value[i]);
            }
        }

        result.Add(item.ToString().Trim());
        return result.Where(r => r.Length > 0).ToList();
    }

    private static string Unescape(string value) => string.Join(",", SplitText(value));

    private static string Limit(string title) => title.Length <= 300 ? title : title[..300];

    /// <summary>Splits one CSV line; each field with its 1-based column.</summary>
    private static List<(string Value, int Column)> Split(string line, char separator)
    {
        var fields = new List<(string, int)>();
        var i = 0;
        while (true)
        {
            var column = i + 1;
            var value = new StringBuilder();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                    {
                        value.Append('"');
                        i += 2;
                    }
                    else if (line[i] == '"')
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        value.Append(line[i++]);
                    }
                }

                while (i < line.Length && line[i] != separator)
                {
                    i++;
                }
            }
            else
            {
                while (i < line.Length && line[i] != separator)
                {
                    value.Append(line[i++]);
                }
            }

            fields.Add((value.ToString(), column));
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the separator
        }
    }
}
