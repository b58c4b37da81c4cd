namespace AnnualCycle.Domain.Notifications;

/// <summary>
/// What an email is about: one template per kind and language, and the kind an outbox row records (a <c>Test</c> email is
/// sent at once, never recorded). One enum for the rows and the templates.
/// </summary>
public enum EmailKind
{
    StepOpened,
    Reminder,
    DueToday,
    Overdue,
    Escalation,
    ApprovalRequested,
    Returned,
    Completed,
    WeeklyDigest,
    Test,
}
