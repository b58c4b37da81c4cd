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
public sealed record IcsFeedItem(
    string Uid,
    int Sequence,
    string Title,
    DateTimeOffset Start,
    DateTimeOffset End,
    string? Url,
    string? Description = null,
    bool Cancelled = false);

/// <summary>
/// The calendar event of a step's deadline, attached to every email about it.
/// <para>
/// Chosen shape: a timed event from 23:00 to 23:59 Europe/Stockholm on the due date, written with
/// <c>TZID=Europe/Stockholm</c> and a VTIMEZONE. The deadline instant (23:59 local) is the event's end, so the
/// calendar shows the deadline on the right day, and the instants stay right across daylight-saving changes
/// (21:59Z in summer, 22:59Z in winter). An all-day event would have no instant to check and shows on the wrong
/// day for a reader in another zone.
/// </para>
/// </summary>
/// <param name="StepId">The step instance's id; the UID is <c>step-{StepId}@annualcycle</c>.</param>
/// <param name="Sequence">The number of times the step's due date has moved (0 at first).</param>
/// <param name="Title">SUMMARY, e.g. "Sista dag: Nämndplan 2028 – Hälso- och sjukvårdsnämnden".</param>
/// <param name="Due">The deadline instant.</param>
/// <param name="Url">Absolute link to the step.</param>
/// <param name="Description">Optional text.</param>
/// <param name="Cancelled">The step was skipped or cancelled: <c>STATUS:CANCELLED</c>.</param>
public sealed record DeadlineEvent(string StepId, int Sequence, string Title, DateTimeOffset Due, string Url, string? Description = null, bool Cancelled = false)
{
    /// <summary>The stable UID of a step's deadline event.</summary>
    public static string UidFor(string stepId) => $"step-{stepId}@annualcycle";

    /// <summary>The feed item of this deadline: 23:00–23:59 local (in <paramref name="zone"/>) on the due date.</summary>
    public IcsFeedItem ToFeedItem(AnnualCycle.Domain.Calendar.StockholmTime zone)
    {
        var start = zone.ToInstant(zone.LocalDate(Due), new TimeOnly(23, 0));
        if (start >= Due)
        {
            start = Due.AddHours(-1);
        }

        return new IcsFeedItem(UidFor(StepId), Sequence, Title, start, Due, Url, Description, Cancelled);
    }
}
