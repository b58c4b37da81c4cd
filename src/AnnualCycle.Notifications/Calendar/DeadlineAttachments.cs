namespace AnnualCycle.Notifications.Calendar;

public static class DeadlineAttachments
{
    /// <summary>
    /// The kinds of email about a deadline, which carry the step's <see cref="DeadlineEvent"/> as an .ics
    /// attachment: the same UID and SEQUENCE as the subscription feed, so opening the attachment updates the
    /// event a subscribed calendar already shows instead of adding a second one.
    /// </summary>
    public static bool CarriesDeadlineEvent(this EmailKind kind) =>
        kind is EmailKind.StepOpened or EmailKind.Reminder or EmailKind.DueToday or EmailKind.Overdue or EmailKind.ApprovalRequested;
}
