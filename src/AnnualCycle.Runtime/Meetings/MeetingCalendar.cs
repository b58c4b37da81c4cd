using AnnualCycle.Data.Meetings;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Organisations;

namespace AnnualCycle.Runtime.Meetings;

/// <summary>
/// The effective sammanträdesplan of an organisation: the meetings of <c>workflows/organisations/*.json</c>, where
/// for each calendar year an import (<see cref="MeetingImportHandler"/>) replaces the meetings of every body it names.
/// </summary>
public static class MeetingCalendar
{
    /// <summary>The organisation with its meetings replaced by the imported ones, year by year and body by body.</summary>
    public static Organisation Apply(Organisation organisation, IReadOnlyCollection<ImportedMeetingEntity> imported)
    {
        if (imported.Count == 0)
        {
            return organisation;
        }

        var replaced = imported
            .Select(m => (m.Year, Body: m.BodyId.ToUpperInvariant()))
            .ToHashSet();
        var meetings = organisation.Meetings
            .Where(m => !replaced.Contains((m.Date.Year, m.BodyId.ToUpperInvariant())))
            .Concat(imported.Select(m => new MeetingDate(organisation.FindBody(m.BodyId)?.Id ?? m.BodyId, m.Date, null, false, m.Title is null ? "import" : $"import: {m.Title}")))
            .OrderBy(m => m.Date).ThenBy(m => m.BodyId, StringComparer.Ordinal)
            .ToList();
        return organisation with { Meetings = meetings };
    }

    /// <summary>The organisation as loaded, with its imported meetings applied; null when it is not loaded.</summary>
    public static async Task<Organisation?> EffectiveAsync(AnnualCycleDbContext db, IWorkflowCatalog catalog, string organisationId, CancellationToken ct)
    {
        if (catalog.FindOrganisation(organisationId) is not { } organisation)
        {
            return null;
        }

        var imported = await db.ImportedMeetings.AsNoTracking().Where(m => m.OrganisationId == organisation.Id).ToListAsync(ct);
        return Apply(organisation, imported);
    }

    /// <summary>
    /// The meeting dates of one body in the effective sammanträdesplan, in order (empty when the calendar knows none):
    /// what the secretary's form offers when recording the body's decision (the last one on or before today).
    /// </summary>
    public static async Task<IReadOnlyList<DateOnly>> DatesOfAsync(AnnualCycleDbContext db, IWorkflowCatalog catalog, string organisationId, string bodyId, CancellationToken ct = default) =>
        (await EffectiveAsync(db, catalog, organisationId, ct))?.Meetings
            .Where(m => string.Equals(m.BodyId, bodyId, StringComparison.OrdinalIgnoreCase)).Select(m => m.Date).Distinct().Order().ToList() ?? [];
}

/// <summary>
/// The planner of the host: plans a loaded definition against the organisation's effective meeting calendar, so a
/// cycle started (or re-planned) after an import is anchored to the imported meetings. Scoped: it reads the imports
/// from the request's database context.
/// </summary>
public sealed class MeetingAwareCyclePlanner(WorkflowCatalog catalog, AnnualCycleDbContext db, StockholmTime zone) : ICyclePlanner
{
    public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null)
    {
        var definition = catalog.Resolve(workflowId, year, version);
        var organisation = catalog.FindOrganisation(definition.OrganisationId)
            ?? throw new KeyNotFoundException($"Organisation '{definition.OrganisationId}' of workflow '{workflowId}' is not loaded.");
        // ICyclePlanner is synchronous; the imports of one organisation are a handful of rows.
        var imported = db.ImportedMeetings.AsNoTracking().Where(m => m.OrganisationId == organisation.Id).ToList();
        return PlanBuilder.Build(definition, MeetingCalendar.Apply(organisation, imported), year, zone, overrides);
    }
}
