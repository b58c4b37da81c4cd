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

    /// <summary>"1 arbetsdag kvar", "3 arbetsdagar kvar" / "1 working day left", "3 working days left".</summary>
    public static string WorkingDaysLeftText(int days, EmailLanguage language) => language == EmailLanguage.English
        ? days == 1 ? "1 working day left" : $"{days} working days left"
        : days == 1 ? "1 arbetsdag kvar" : $"{days} arbetsdagar kvar";
}
