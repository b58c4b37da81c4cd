namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>The journal of one cycle in sequence order, as records or as CSV (RFC 4180 quoting).</summary>
public sealed class CycleJournalQuery(AnnualCycleDbContext db)
{
    public async Task<IReadOnlyList<JournalEntryDto>> HandleAsync(Actor actor, Guid cycleId, CancellationToken ct = default)
    {
        var organisation = await db.Cycles.AsNoTracking().Where(c => c.Id == cycleId).Select(c => c.OrganisationId).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No cycle {cycleId}.");
        Visibility.Require(actor, organisation, cycleId);
        var entries = await db.Journal.AsNoTracking().Where(j => j.CycleId == cycleId).OrderBy(j => j.Sequence).ToListAsync(ct);
        return entries.Select(JournalEntryDto.From).ToList();
    }

    public static string ToCsv(IEnumerable<JournalEntryDto> entries)
    {
        var csv = new StringBuilder();
        csv.Append("sequence,at_utc,actor,on_behalf_of,action,subject,from_state,to_state,comment,hash\r\n");
        foreach (var e in entries)
        {
            string?[] fields =
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.AtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                e.ActorUserId, e.OnBehalfOfUserId, e.Action, e.Subject, e.FromState, e.ToState, e.Comment, e.Hash,
            ];
            csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Quotes a field when it holds a comma, quote, newline or leading formula character; doubles inner quotes.</summary>
    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return "";
        }

        // A leading = + - @ would run as a formula in a spreadsheet; a quote mark in front keeps it text.
        if (field[0] is '=' or '+' or '-' or '@')
        {
            field = "'" + field;
        }

        return field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
