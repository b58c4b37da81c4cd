namespace AnnualCycle.Notifications.Calendar;

/// <summary>One event of a calendar: a deadline or a meeting.</summary>
/// <param name="Uid">Stable across updates, so a subscribed calendar updates the event in place (e.g. <c>step-42@annualcycle</c>).</param>
/// <param name="Sequence">Incremented by the caller each time the event's dates move.</param>
/// <param name="Title">SUMMARY.</param>
/// <param name="Start">Start instant.</param>
/// <param name="End">End instant, after <paramref name="Start"/>.</param>
/// <param name="Url">Link to the step or meeting in the web UI, absolute.</param>
/// <param name="Description">Free text, optional.</param>
/// <param name="Cancelled">Written as <c>STATUS:CANCELLED</c> (a skipped or cancelled step), so a subscribed calendar strikes it out.</param>
/// <param name="AllDay">An all-day event (<c>DTSTART;VALUE=DATE</c>) on the Europe/Stockholm dates of <paramref name="Start"/>
/// through <paramref name="End"/>, both included; the times of day are then not written.</param>
public sealed record IcsFeedItem(
    string Uid,
    int Sequence,
    string Title,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Url,
    string? Description = null,
    bool Cancelled = false,
    bool AllDay = false);

/// <summary>
/// The calendar event of a step's deadline, attached to every email about it.
/// <para>
/// Chosen shape: an all-day event on the due date (Europe/Stockholm), as a deadline reads in a calendar, with the exact
/// time ("Sista dag: fredag 14 april 2028 kl. 23.59") first in the description. An all-day event is a date, not an
/// instant, so it shows on the due date for every reader and is not moved by daylight saving; it is also transparent
/// (TRANSP), so it does not block the day in anyone's free/busy.
/// </para>
/// </summary>
/// <param name="StepId">The step instance's id; the UID is <c>step-{StepId}@annualcycle</c>.</param>
/// <param name="Sequence">The number of times the step's due date has moved (0 at first).</param>
/// <param name="Title">SUMMARY, e.g. "Sista dag: Nämndplan 2028 – Hälso- och sjukvårdsnämnden".</param>
/// <param name="Due">The deadline instant (23:59 local on the due date).</param>
/// <param name="Url">Absolute link to the step.</param>
/// <param name="Description">Optional text, after the line with the exact deadline.</param>
/// <param name="Cancelled">The step was skipped or cancelled: <c>STATUS:CANCELLED</c>.</param>
public sealed record DeadlineEvent(string StepId, int Sequence, string Title, DateTimeOffset Due, string Url, string? Description = null, bool Cancelled = false)
{
    /// <summary>The stable UID of a step's deadline event.</summary>
    public static string UidFor(string stepId) => $"step-{stepId}@annualcycle";

    /// <summary>The feed item of this deadline: all day on the local due date, the exact time in the description.</summary>
    public IcsFeedItem ToFeedItem(AnnualCycle.Domain.Calendar.StockholmTime time)
    {
        var exact = "Sista dag: " + Rendering.DeadlineText.FormatDeadline(Due, EmailLanguage.Swedish, time);
        var description = string.IsNullOrWhiteSpace(Description) ? exact : exact + "\n" + Description;
        return new IcsFeedItem(UidFor(StepId), Sequence, Title, Due, Due, Url, description, Cancelled, AllDay: true);
    }
}
