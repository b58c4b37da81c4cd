using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Runtime.Meetings;

namespace AnnualCycle.Runtime.Arshjul;

/// <summary>
/// The årshjul from live data: the steps of the cycles in the database with their current dates and states, the
/// organisation's bodies as rings and its effective meeting calendar (imports applied) as marks, today's needle from
/// the injected clock in Europe/Stockholm. Any user with a grant in the organisation may look; to anyone else the
/// cycle or organisation does not exist (404).
/// </summary>
public sealed class ArshjulQuery(AnnualCycleDbContext db, IWorkflowCatalog catalog, TimeProvider clock, StockholmTime zone)
{
    /// <summary>Where an arc links to: the step's page in the web UI.</summary>
    public static string StepUrl(Guid stepId) => $"/steg/{stepId}";

    /// <summary>
    /// The calendar year a cycle's wheel shows by default: the year before its budget year. That is the planning year
    /// (planeringsförutsättningar, styrdialog, regionplan, nämndplaner), the year in which the process owner starts and
    /// steers the cycle; its follow-up year is the next one (<c>?year=</c>).
    /// </summary>
    public static int DefaultCalendarYear(int budgetYear) => budgetYear - 1;

    /// <summary>The wheel of one cycle: only its own steps, in <paramref name="calendarYear"/> (default <see cref="DefaultCalendarYear"/>).</summary>
    public async Task<ArshjulModel> ForCycleAsync(Actor actor, Guid cycleId, int? calendarYear, string? language, CancellationToken ct = default)
    {
        var cycle = await db.Cycles.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cycleId, ct) ?? throw new NotFoundException($"No cycle {cycleId}.");
        Visibility.Require(actor, cycle.OrganisationId, cycleId);
        var year = calendarYear ?? DefaultCalendarYear(cycle.Year);
        RequireYear(year);
        return await BuildAsync(cycle.OrganisationId, year, [cycle], language, ct);
    }

    /// <summary>
    /// The wheel of a calendar year of an organisation: the steps of every cycle that is not cancelled and whose budget
    /// year is <paramref name="calendarYear"/> − 1 (årsredovisning), <paramref name="calendarYear"/> (follow-up) or
    /// <paramref name="calendarYear"/> + 1 (planning); the layout keeps what falls in the year.
    /// </summary>
    public async Task<ArshjulModel> ForYearAsync(Actor actor, string organisationId, int calendarYear, string? language, CancellationToken ct = default)
    {
        var organisation = catalog.FindOrganisation(organisationId);
        if (organisation is null || !Visibility.Organisations(actor).Contains(organisation.Id))
        {
            throw new NotFoundException($"No organisation {organisationId}.");
        }

        RequireYear(calendarYear);
        var cycles = await db.Cycles.AsNoTracking()
            .Where(c => c.OrganisationId == organisation.Id && c.Status != CycleStatus.Cancelled && c.Year >= calendarYear - 1 && c.Year <= calendarYear + 1)
            .ToListAsync(ct);
        return await BuildAsync(organisation.Id, calendarYear, cycles, language, ct);
    }

    private async Task<ArshjulModel> BuildAsync(string organisationId, int calendarYear, IReadOnlyList<CycleEntity> cycles, string? language, CancellationToken ct)
    {
        var organisation = await MeetingCalendar.EffectiveAsync(db, catalog, organisationId, ct)
            ?? throw new NotFoundException($"Organisation {organisationId} is not loaded.");
        var cycleYears = cycles.ToDictionary(c => c.Id, c => c.Year);
        var ids = cycleYears.Keys.ToList();
        var steps = await db.StepInstances.AsNoTracking().Where(s => ids.Contains(s.CycleId)).ToListAsync(ct);
        var today = zone.LocalDate(clock.GetUtcNow());
        var inputs = steps
            .OrderBy(s => s.OpensAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new ArshjulStepInput(ToPlanned(s), cycleYears[s.CycleId], s.State, StepUrl(s.Id)));
        return ArshjulModelBuilder.Build(organisation, calendarYear, today, inputs, zone, string.Equals(language, "en", StringComparison.OrdinalIgnoreCase) ? "en" : "sv");
    }

    private static void RequireYear(int year)
    {
        if (year is < 2000 or > 2100)
        {
            throw new InputException("year", "must be between 2000 and 2100");
        }
    }

    private static PlannedStep ToPlanned(StepInstanceEntity s) => new(
        s.Key, s.StepId, s.Title, s.Kind, s.BodyId, s.Role, s.Occurrence, s.Phase,
        new DateTimeOffset(s.OpensAtUtc, TimeSpan.Zero), new DateTimeOffset(s.DueAtUtc, TimeSpan.Zero), s.Statutory,
        s.DependsOnKeys(), [], [], [], [], null);

}
