using AnnualCycle.Arshjul.Model;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Arshjul;

/// <summary>The runtime's view of one step instance: what the wheel needs beyond the plan.</summary>
/// <param name="Step">The planned step instance (its dates may have been rescheduled).</param>
/// <param name="CycleYear">The budget year of the cycle it belongs to.</param>
/// <param name="State">Its current state.</param>
/// <param name="Url">Where clicking it goes, e.g. <c>/steps/42</c>.</param>
public sealed record ArshjulStepInput(PlannedStep Step, int CycleYear, StepState State, string? Url);

/// <summary>
/// Builds the wheel of a calendar year from an organisation and the step instances of the cycles active in that year
/// (usually cycle <c>year</c> for follow-up and cycle <c>year + 1</c> for planning, plus the årsredovisning of
/// cycle <c>year - 1</c>). Steps outside the year are dropped by the layout; pass them all.
/// </summary>
public static class ArshjulModelBuilder
{
    /// <param name="today">Today's local date (in <paramref name="time"/>): decides overdue, and the needle when it is in the year.</param>
    /// <param name="time">The organisation's zone (the configured one): step instants become local dates in it.</param>
    public static ArshjulModel Build(
        Organisation organisation,
        int calendarYear,
        DateOnly today,
        IEnumerable<ArshjulStepInput> steps,
        StockholmTime time,
        string language = "sv")
    {
        ArgumentNullException.ThrowIfNull(organisation);
        ArgumentNullException.ThrowIfNull(steps);

        var inputs = steps.ToList();
        var rings = Rings(organisation, inputs.Select(s => s.Step.BodyId));
        var ringIds = new HashSet<string>(rings.Select(r => r.BodyId), StringComparer.OrdinalIgnoreCase);
        var arcs = inputs.Select(s =>
        {
            var opens = time.LocalDate(s.Step.Opens);
            var due = time.LocalDate(s.Step.Due);
            return new ArshjulArc(
                s.Step.Key, s.Step.Title, RingOf(organisation, s.Step.BodyId, ringIds), s.CycleYear,
                opens, due, s.State, IsOverdue(s.State, due, today), s.Url);
        }).ToList();

        var meetings = organisation.Meetings
            .Where(m => m.Date.Year == calendarYear && ringIds.Contains(m.BodyId))
            .Select(m => new ArshjulMark(m.BodyId, m.Date, organisation.FindBody(m.BodyId)?.Name ?? m.BodyId))
            .ToList();

        return new ArshjulModel(
            calendarYear, today.Year == calendarYear ? today : null, organisation.Name, rings, arcs, meetings, language);
    }

    /// <summary>Overdue is derived: the due day (which ends 23:59 local time) has passed and the step is not done.</summary>
    public static bool IsOverdue(StepState state, DateOnly due, DateOnly today) =>
        due < today && state is not (StepState.Completed or StepState.Skipped or StepState.Cancelled);

    /// <summary>
    /// Regionfullmäktige outermost, then regionstyrelsen, then each nämnd in the organisation's order; then, innermost,
    /// each other body that does a step itself (ekonomistaben, CLG, the auditors), in the organisation's order, so that
    /// a step is drawn in the ring of the body that does it. A förvaltning has no ring of its own: it does its nämnd's
    /// work, and its steps go on that nämnd's ring.
    /// </summary>
    /// <param name="stepBodies">The bodies of the steps to draw; null or empty: only the political rings.</param>
    public static IReadOnlyList<ArshjulRing> Rings(Organisation organisation, IEnumerable<string>? stepBodies = null)
    {
        static int Rank(BodyKind kind) => kind switch
        {
            BodyKind.Assembly => 0,
            BodyKind.Board => 1,
            BodyKind.Committee => 2,
            _ => 3,
        };

        var doing = new HashSet<string>(stepBodies ?? [], StringComparer.OrdinalIgnoreCase);
        return organisation.Bodies
            .Select((body, index) => (body, index))
            .Where(x => x.body.Kind is BodyKind.Assembly or BodyKind.Board or BodyKind.Committee
                || (doing.Contains(x.body.Id) && !ServesARing(organisation, x.body)))
            .OrderBy(x => Rank(x.body.Kind)).ThenBy(x => x.index)
            .Select((x, order) => new ArshjulRing(x.body.Id, x.body.Name, order))
            .ToList();
    }

    /// <summary>A förvaltning serving a body that has a ring (its nämnd, or regionstyrelsen).</summary>
    private static bool ServesARing(Organisation organisation, Body body) =>
        body.Kind == BodyKind.Administration && body.Serves is { } served
        && organisation.FindBody(served)?.Kind is BodyKind.Assembly or BodyKind.Board or BodyKind.Committee;

    /// <summary>
    /// The ring a step is drawn on: its body's own ring; a förvaltning's step goes on the nämnd it serves. A body the
    /// organisation does not know (an old definition) falls back to regionstyrelsen, which leads and coordinates the work.
    /// </summary>
    private static string RingOf(Organisation organisation, string bodyId, HashSet<string> ringIds)
    {
        if (ringIds.Contains(bodyId))
        {
            return bodyId;
        }

        var body = organisation.FindBody(bodyId);
        if (body?.Kind == BodyKind.Administration && body.Serves is { } served && ringIds.Contains(served))
        {
            return served;
        }

        return organisation.Bodies.FirstOrDefault(b => b.Kind == BodyKind.Board)?.Id ?? bodyId;
    }
}
