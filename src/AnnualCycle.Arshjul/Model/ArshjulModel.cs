namespace AnnualCycle.Arshjul.Model;

/// <summary>
/// Everything the årshjul of one calendar year shows. Built by the caller from the cycles active in the year
/// (follow-up of this year's budget, planning of next year's); the renderers read nothing else, not even the clock.
/// </summary>
/// <param name="CalendarYear">The calendar year the wheel shows (1 January at the top, clockwise).</param>
/// <param name="Today">Today's date in Europe/Stockholm, or null when today is outside <paramref name="CalendarYear"/>
/// (no needle is drawn then; a date outside the year is ignored as well).</param>
/// <param name="Title">Shown in the centre and in the SVG's title, e.g. "Region Västerbotten".</param>
/// <param name="Rings">The bodies, from the outermost ring to the innermost: RF, RS, then each nämnd.</param>
/// <param name="Arcs">Step instances of every cycle active in the year; arcs outside the year are left out, arcs that
/// cross the year's edges are clipped to it.</param>
/// <param name="Meetings">Sammanträden drawn as diamonds on their body's ring.</param>
/// <param name="Language">"sv" (default) or "en": month names, states, legend and dates.</param>
public sealed record ArshjulModel(
    int CalendarYear,
    DateOnly? Today,
    string Title,
    IReadOnlyList<ArshjulRing> Rings,
    IReadOnlyList<ArshjulArc> Arcs,
    IReadOnlyList<ArshjulMark> Meetings,
    string Language = "sv")
{
    /// <summary>True when English is asked for; anything else falls back to Swedish.</summary>
    public bool IsEnglish => string.Equals(Language, "en", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One ring of the wheel: one body.</summary>
/// <param name="BodyId">Short id, e.g. <c>RF</c>; shown on the ring and used to place arcs and meetings.</param>
/// <param name="Name">Swedish name, e.g. "Regionfullmäktige".</param>
/// <param name="Order">Sort key from outer to inner: lower is further out. Ties keep the list's order.</param>
public sealed record ArshjulRing(string BodyId, string Name, int Order);

/// <summary>One step instance drawn as an arc from its open date to its due date.</summary>
/// <param name="StepKey">The step instance's key in its cycle, e.g. <c>manadsrapport#3/HSN</c>.</param>
/// <param name="Title">Swedish title of the step.</param>
/// <param name="BodyId">The ring the arc is drawn on; an arc whose body has no ring is left out.</param>
/// <param name="CycleYear">The budget year of the cycle the step belongs to.</param>
/// <param name="Opens">First day of the arc (included).</param>
/// <param name="Due">Due date (included: the arc ends at the end of this day). A due date before the open date
/// is drawn as the one day of the due date.</param>
/// <param name="State">The step's state in the runtime.</param>
/// <param name="Overdue">Derived by the caller: due has passed and the step is not completed, skipped or cancelled.</param>
/// <param name="Url">Where a click goes, e.g. <c>/steps/42</c>; null draws the arc without a link.</param>
public sealed record ArshjulArc(
    string StepKey,
    string Title,
    string BodyId,
    int CycleYear,
    DateOnly Opens,
    DateOnly Due,
    StepState State,
    bool Overdue,
    string? Url);

/// <summary>A meeting (sammanträde) of a body, drawn as a diamond on its ring.</summary>
public sealed record ArshjulMark(string BodyId, DateOnly Date, string Label);

/// <summary>How the drawing is arranged: the legend right of the wheel (screens, A4 landscape), or below it
/// (phones, A4 portrait). The wheel itself is the same.</summary>
public enum ArshjulPageLayout
{
    Landscape,
    Portrait,

    /// <summary>The wheel alone, square, with larger month names: for a phone's screen, where the page writes the
    /// legend as text below it (a drawn legend would be a few pixels high at 390 px).</summary>
    Phone,
}
