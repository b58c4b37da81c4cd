using System.Globalization;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Notifications.Rendering;

/// <summary>How a deadline reads in an email, in the organisation's local time (the configured zone, Europe/Stockholm by default).</summary>
public static class DeadlineText
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>
    /// "senast fredag 14 april 2028 kl. 23.59" (Swedish: lowercase weekday and month, the dot as time
    /// separator as Språkrådet recommends) or "by Friday 14 April 2028 at 23:59" (English). The instant is
    /// shown in the zone of <paramref name="time"/>, so a deadline of 23:59 local
    /// reads 23.59 in summer and winter alike.
    /// </summary>
    public static string Format(DateTimeOffset due, EmailLanguage language, StockholmTime time)
    {
        var local = time.ToLocal(due);
        return language == EmailLanguage.English
            ? "by " + local.ToString("dddd d MMMM yyyy 'at' HH':'mm", English)
            : "senast " + local.ToString("dddd d MMMM yyyy 'kl.' HH'.'mm", Swedish);
    }

    /// <summary>The local date alone: "fredag 14 april 2028" / "Friday 14 April 2028".</summary>
    public static string FormatDate(DateTimeOffset due, EmailLanguage language, StockholmTime time)
    {
        var local = time.ToLocal(due);
        return language == EmailLanguage.English
            ? local.ToString("dddd d MMMM yyyy", English)
            : local.ToString("dddd d MMMM yyyy", Swedish);
    }

    /// <summary>
    /// Working days from the local date of <paramref name="now"/> (not counted) to the local date of
    /// <paramref name="due"/> (counted): on Wednesday with a deadline on Friday this is 2; on the due day 0;
    /// negative once the deadline has passed.
    /// </summary>
    public static int WorkingDaysLeft(DateTimeOffset now, DateTimeOffset due, StockholmTime time) =>
        SwedishCalendar.WorkingDaysBetween(time.LocalDate(now), time.LocalDate(due));

    /// <summary>
    /// The deadline without a preposition, for "Sista dag är …" and the table row: "fredag 14 april 2028 kl. 23.59" /
    /// "Friday 14 April 2028 at 23:59".
    /// </summary>
    public static string FormatDeadline(DateTimeOffset due, EmailLanguage language, StockholmTime time)
    {
        var local = time.ToLocal(due);
        return language == EmailLanguage.English
            ? local.ToString("dddd d MMMM yyyy 'at' HH':'mm", English)
            : local.ToString("dddd d MMMM yyyy 'kl.' HH'.'mm", Swedish);
    }

    /// <summary>The local time of day alone: "23.59" / "23:59".</summary>
    public static string FormatTime(DateTimeOffset due, EmailLanguage language, StockholmTime time)
    {
        var local = time.ToLocal(due);
        return language == EmailLanguage.English ? local.ToString("HH':'mm", English) : local.ToString("HH'.'mm", Swedish);
    }

    /// <summary>"1 arbetsdag kvar", "3 arbetsdagar kvar", "sista dagen i dag" / "1 working day left", "3 working days left", "last day today".</summary>
    public static string WorkingDaysLeftText(int days, EmailLanguage language) => (language, days) switch
    {
        (EmailLanguage.English, <= 0) => "last day today",
        (EmailLanguage.English, 1) => "1 working day left",
        (EmailLanguage.English, _) => $"{days} working days left",
        (_, <= 0) => "sista dagen i dag",
        (_, 1) => "1 arbetsdag kvar",
        _ => $"{days} arbetsdagar kvar",
    };

    /// <summary>
    /// The days left as a whole sentence: "Det är 3 arbetsdagar kvar." / "I dag är sista dagen." and
    /// "There are 3 working days left." / "There is 1 working day left." / "Today is the last day.".
    /// </summary>
    public static string WorkingDaysLeftSentence(int days, EmailLanguage language) => (language, days) switch
    {
        (EmailLanguage.English, <= 0) => "Today is the last day.",
        (EmailLanguage.English, 1) => "There is 1 working day left.",
        (EmailLanguage.English, _) => $"There are {days} working days left.",
        (_, <= 0) => "I dag är sista dagen.",
        _ => $"Det är {WorkingDaysLeftText(days, language)}.",
    };

    /// <summary>
    /// How late a step is at <paramref name="now"/>: the Swedish working days after the due date up to and including
    /// today (due Friday, Monday is 1), and the calendar days (Monday is 3). Both are 0 on the due date itself.
    /// </summary>
    public static Lateness Late(DateTimeOffset now, DateTimeOffset due, StockholmTime time)
    {
        var today = time.LocalDate(now);
        var dueDate = time.LocalDate(due);
        if (today <= dueDate)
        {
            return new Lateness(0, 0);
        }

        return new Lateness(SwedishCalendar.WorkingDaysBetween(dueDate, today), today.DayNumber - dueDate.DayNumber);
    }

    /// <summary>
    /// "3 arbetsdagar (5 dagar)", "1 arbetsdag", "2 dagar" (a weekend), "mindre än en dag" / "3 working days (5 days)",
    /// "1 working day", "2 days", "less than a day": written after "försenat med" / "… late".
    /// </summary>
    public static string LateText(Lateness late, EmailLanguage language)
    {
        var english = language == EmailLanguage.English;
        string Working(int n) => english ? (n == 1 ? "1 working day" : $"{n} working days") : (n == 1 ? "1 arbetsdag" : $"{n} arbetsdagar");
        string Days(int n) => english ? (n == 1 ? "1 day" : $"{n} days") : (n == 1 ? "1 dag" : $"{n} dagar");
        return late switch
        {
            { Days: <= 0 } => english ? "less than a day" : "mindre än en dag",
            { WorkingDays: <= 0 } => Days(late.Days),
            _ when late.WorkingDays == late.Days => Working(late.WorkingDays),
            _ => $"{Working(late.WorkingDays)} ({Days(late.Days)})",
        };
    }
}

/// <summary>How late a step is: Swedish working days and calendar days after its due date (see <see cref="DeadlineText.Late"/>).</summary>
public readonly record struct Lateness(int WorkingDays, int Days);
