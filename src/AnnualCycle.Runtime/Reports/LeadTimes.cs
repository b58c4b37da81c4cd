namespace AnnualCycle.Runtime.Reports;

/// <summary>
/// One step of one body in one budget year. Only steps that were opened and completed in the service count: a step skipped,
/// cancelled, marked done at a late start or still open has no lead time.
/// </summary>
/// <param name="Completed">How many of the year's instances count (a recurring step has several: månadsrapport 1–7).</param>
/// <param name="LeadDays">Mean lead time in days, from opening to completion (calendar time, to a tenth of a day).</param>
/// <param name="Late">How many were completed after their due date.</param>
/// <param name="DaysLate">Mean days late (0 for one completed on or before its due date), local calendar days.</param>
public sealed record LeadTimeCell(int Year, int Completed, double LeadDays, int Late, double DaysLate);

/// <summary>One step of one body across the years; <see cref="Change"/> compares the last year with the one before.</summary>
/// <param name="Change">The last year's mean lead time minus the year before's, in days (negative: shorter), when both have one.</param>
public sealed record LeadTimeRow(string WorkflowId, string StepId, string Title, string BodyId, string BodyName, IReadOnlyList<LeadTimeCell> Years, double? Change);

/// <summary>The process's lead times per step and body, year over year (§ 105's stated aim is shorter lead times).</summary>
public sealed record LeadTimeReport(string OrganisationId, IReadOnlyList<int> Years, IReadOnlyList<LeadTimeRow> Rows)
{
    /// <summary>The same as a flat table, one row per step, body and year (CSV and .xlsx).</summary>
    public ExportTable ToTable() => new(
        $"ledtider-{OrganisationId}",
        ["Definition", "Steg-id", "Steg", "Organ-id", "Organ", "Budgetår", "Klara", "Ledtid (dagar, medel)", "Klara efter sista dag", "Dagar sent (medel)", "Förändring mot föregående år (dagar)"],
        Rows.SelectMany(r => r.Years.Select(c => (IReadOnlyList<object?>)
        [
            r.WorkflowId, r.StepId, r.Title, r.BodyId, r.BodyName, c.Year, c.Completed, c.LeadDays, c.Late, c.DaysLate,
            Previous(r, c.Year) is { } before ? Math.Round(c.LeadDays - before.LeadDays, 1) : null,
        ])).ToList());

    private static LeadTimeCell? Previous(LeadTimeRow row, int year) => row.Years.Where(c => c.Year < year).MaxBy(c => c.Year);
}

/// <summary>
/// Measures the process from its own cycles: per step (by the definition's step id, so the seven månadsrapporter are one row)
/// and body, the lead time from opening to completion and the days late, per budget year. For the organisation's process
/// owners (404 outside it, 403 inside).
/// </summary>
public sealed class LeadTimeQuery(AnnualCycleDbContext db, StockholmTime zone, IWorkflowCatalog catalog)
{
    public async Task<LeadTimeReport> HandleAsync(Actor actor, string organisationId, CancellationToken ct = default)
    {
        ReportAccess.RequireProcessOwner(actor, organisationId, $"No organisation {organisationId}.");
        var cycles = await db.Cycles.AsNoTracking().Where(c => c.OrganisationId == organisationId)
            .Select(c => new { c.Id, c.WorkflowId, c.Year }).ToListAsync(ct);
        var ids = cycles.Select(c => c.Id).ToList();
        var steps = await db.StepInstances.AsNoTracking()
            .Where(s => ids.Contains(s.CycleId) && s.State == StepState.Completed && s.OpenedAtUtc != null && s.CompletedAtUtc != null)
            .Select(s => new { s.CycleId, s.StepId, s.Title, s.BodyId, s.Occurrence, OpenedAtUtc = s.OpenedAtUtc!.Value, CompletedAtUtc = s.CompletedAtUtc!.Value, s.DueAtUtc })
            .ToListAsync(ct);
        var cycleById = cycles.ToDictionary(c => c.Id);
        var organisation = catalog.FindOrganisation(organisationId);
        var rows = steps
            .GroupBy(s => (cycleById[s.CycleId].WorkflowId, s.StepId, s.BodyId))
            .Select(g =>
            {
                var years = g.GroupBy(s => cycleById[s.CycleId].Year).OrderBy(y => y.Key).Select(y =>
                {
                    var lead = y.Select(s => (s.CompletedAtUtc - s.OpenedAtUtc).TotalDays).ToList();
                    var late = y.Select(s => Math.Max(0, zone.LocalDate(s.CompletedAtUtc).DayNumber - zone.LocalDate(s.DueAtUtc).DayNumber)).ToList();
                    return new LeadTimeCell(y.Key, y.Count(), Math.Round(lead.Average(), 1), late.Count(d => d > 0), Math.Round(late.Average(), 1));
                }).ToList();
                double? change = years.Count >= 2 ? Math.Round(years[^1].LeadDays - years[^2].LeadDays, 1) : null;
                // A recurring step's title names its occurrence ("… per mars"): the row takes the first one's.
                var title = g.OrderBy(s => s.Occurrence ?? 0).First().Title;
                // In the process's order: by how early in its cycle the step is due (its budget year's 1 January as zero).
                var order = g.Min(s => s.DueAtUtc - new DateTime(cycleById[s.CycleId].Year, 1, 1, 0, 0, 0, DateTimeKind.Utc));
                return (Order: order, Row: new LeadTimeRow(g.Key.WorkflowId, g.Key.StepId, title, g.Key.BodyId, organisation?.FindBody(g.Key.BodyId)?.Name ?? g.Key.BodyId, years, change));
            })
            .OrderBy(r => r.Row.WorkflowId, StringComparer.Ordinal)
            .ThenBy(r => r.Order)
            .ThenBy(r => r.Row.BodyId, StringComparer.Ordinal)
            .Select(r => r.Row)
            .ToList();
        return new LeadTimeReport(organisationId, cycles.Select(c => c.Year).Distinct().Order().ToList(), rows);
    }
}
