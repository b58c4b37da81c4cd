namespace AnnualCycle.Notifications;

/// <summary>The language of one recipient's emails. Swedish unless the user chose English.</summary>
public enum EmailLanguage
{
    Swedish,
    English,
}

public static class EmailKindNames
{
    /// <summary>The template file stem of a kind: <c>step-opened</c>, <c>reminder</c>, <c>weekly-digest</c> …</summary>
    public static string TemplateName(this EmailKind kind) => kind switch
    {
        EmailKind.StepOpened => "step-opened",
        EmailKind.Reminder => "reminder",
        EmailKind.DueToday => "due-today",
        EmailKind.Overdue => "overdue",
        EmailKind.Escalation => "escalation",
        EmailKind.ApprovalRequested => "approval-requested",
        EmailKind.Returned => "returned",
        EmailKind.Completed => "completed",
        EmailKind.WeeklyDigest => "weekly-digest",
        EmailKind.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown email kind."),
    };

    /// <summary>The folder of a language's templates: <c>sv</c> or <c>en</c>.</summary>
    public static string Code(this EmailLanguage language) => language == EmailLanguage.English ? "en" : "sv";

    /// <summary>Maps a user's preference ("en", "en-GB", "sv", null) to a language; anything not English is Swedish.</summary>
    public static EmailLanguage FromPreference(string? preference) =>
        preference is not null && preference.StartsWith("en", StringComparison.OrdinalIgnoreCase)
            ? EmailLanguage.English
            : EmailLanguage.Swedish;
}
