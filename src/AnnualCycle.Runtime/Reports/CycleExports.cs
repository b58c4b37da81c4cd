namespace AnnualCycle.Runtime.Reports;

/// <summary>What of a cycle can be exported.</summary>
public enum CycleReport
{
    /// <summary>Every step with its body, dates, state and deliverable (<c>kalender</c>).</summary>
    Calendar,

    /// <summary>Per body: how many steps are done, open, submitted, overdue, skipped (<c>status</c>).</summary>
    Status,

    /// <summary>The journal in sequence order, with names and local times (<c>handelselogg</c>).</summary>
    Journal,
}

/// <summary>
/// A cycle's calendar, status per nämnd and journal as a table for Stratsys, the budget system and Excel (CSV and .xlsx).
/// For the process owners of the cycle's organisation: someone of another organisation is told the cycle does not exist
/// (404), anyone else of it is refused (403).
/// </summary>
public sealed class CycleExportQuery(AnnualCycleDbContext db, TimeProvider clock, StockholmTime zone, IWorkflowCatalog catalog)
{
    /// <summary>Parses <c>calendar</c>/<c>kalender</c>, <c>status</c>, <c>journal</c>/<c>handelselogg</c>; else 400 naming <c>report</c>.</summary>
    public static CycleReport ParseReport(string? report) => report?.Trim().ToLowerInvariant() switch
    {
        "calendar" or "kalender" => CycleReport.Calendar,
        "status" => CycleReport.Status,
        "journal" or "handelselogg" => CycleReport.Journal,
        _ => throw new InputException("report", "must be calendar, status or journal"),
    };

    public async Task<ExportTable> HandleAsync(Actor actor, Guid cycleId, CycleReport report, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct) ?? throw new NotFoundException($"No cycle {cycleId}.");
        ReportAccess.RequireProcessOwner(actor, cycle.OrganisationId, $"No cycle {cycleId}.");
        var organisation = catalog.FindOrganisation(cycle.OrganisationId);
        string BodyName(string id) => organisation?.FindBody(id)?.Name ?? id;
        var now = clock.GetUtcNow().UtcDateTime;
        var slug = $"{cycle.OrganisationId}-{cycle.Year}";
        switch (report)
        {
            case CycleReport.Calendar:
            {
                var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync(ct);
                var rows = steps.OrderBy(s => s.DueAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (IReadOnlyList<object?>)
                [
                    s.Key, s.Title, s.BodyId, BodyName(s.BodyId), s.Phase, KindName(s.Kind), zone.LocalDate(s.OpensAtUtc), zone.LocalDate(s.DueAtUtc),
                    StateName(s.State), StepTransitions.IsOverdue(s.State, s.DueAtUtc, now), s.Statutory,
                    s.CompletedAtUtc is { } c ? zone.LocalDate(c) : null, s.DeliverableLink,
                ]).ToList();
                return new ExportTable($"kalender-{slug}",
                    ["Nyckel", "Steg", "Organ-id", "Organ", "Fas", "Typ", "Öppnar", "Sista dag", "Status", "Försenad", "Lagstadgad", "Klar", "Underlag (länk)"], rows);
            }

            case CycleReport.Status:
            {
                var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync(ct);
                var rows = steps.GroupBy(s => s.BodyId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
                {
                    var next = g.Where(s => !StepTransitions.IsResolved(s.State) && s.DueAtUtc >= now).MinBy(s => s.DueAtUtc);
                    return (IReadOnlyList<object?>)
                    [
                        g.Key, BodyName(g.Key), g.Count(), g.Count(s => s.State == StepState.Completed), g.Count(s => s.State == StepState.Submitted),
                        g.Count(s => StepTransitions.IsWithContributor(s.State)), g.Count(s => s.State == StepState.Planned),
                        g.Count(s => StepTransitions.IsOverdue(s.State, s.DueAtUtc, now)), g.Count(s => s.State is StepState.Skipped or StepState.Cancelled),
                        next?.Title, next is null ? null : zone.LocalDate(next.DueAtUtc),
                    ];
                }).ToList();
                return new ExportTable($"status-{slug}",
                    ["Organ-id", "Organ", "Steg", "Klara", "Inlämnade", "Öppna", "Planerade", "Försenade", "Överhoppade eller avbrutna", "Nästa steg", "Nästa sista dag"], rows);
            }

            default:
            {
                var entries = await db.Journal.AsNoTracking().Where(j => j.CycleId == cycleId).OrderBy(j => j.Sequence).ToListAsync(ct);
                var ids = entries.SelectMany(e => new[] { e.ActorUserId, e.OnBehalfOfUserId }).OfType<string>().Distinct().ToList();
                var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? u.Id : u.DisplayName, ct);
                string? Name(string? id) => id is null ? null : names.GetValueOrDefault(id, id == Actor.System.UserId ? "Årshjulet (systemet)" : id);
                var rows = entries.Select(e => (IReadOnlyList<object?>)
                [
                    e.Sequence, zone.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(e.AtUtc, DateTimeKind.Utc))).DateTime, Name(e.ActorUserId), Name(e.OnBehalfOfUserId),
                    e.Action, e.Subject, e.FromState, e.ToState, e.Comment, e.Hash,
                ]).ToList();
                return new ExportTable($"handelselogg-{slug}", ["Nr", "Tid (svensk tid)", "Vem", "För (som ersättare)", "Händelse", "Vad", "Från", "Till", "Kommentar", "Kontrollsumma"], rows);
            }
        }
    }

    /// <summary>The glossary's status words (README "Glossary").</summary>
    public static string StateName(StepState state) => state switch
    {
        StepState.Planned => "Planerad",
        StepState.Opened => "Öppen",
        StepState.Submitted => "Inlämnad",
        StepState.Returned => "Returnerad",
        StepState.Completed => "Klar",
        StepState.Skipped => "Överhoppad",
        StepState.Cancelled => "Avbruten",
        _ => state.ToString(),
    };

    private static string KindName(StepKind kind) => kind switch
    {
        StepKind.Task => "Uppgift",
        StepKind.Approval => "Godkännande",
        StepKind.Meeting => "Sammanträde",
        StepKind.Milestone => "Milstolpe",
        StepKind.Decision => "Beslut",
        _ => kind.ToString(),
    };
}

/// <summary>Who may read the reports of an organisation: its process owners (404 outside the organisation, 403 inside).</summary>
internal static class ReportAccess
{
    public static void RequireProcessOwner(Actor actor, string organisationId, string notFound)
    {
        if (!People.OrganisationAccess.MemberOf(actor).Contains(organisationId))
        {
            throw new NotFoundException(notFound);
        }

        StepAuthorization.RequireProcessOwner(actor, organisationId);
    }
}
