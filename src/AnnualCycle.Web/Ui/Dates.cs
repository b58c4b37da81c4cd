using System.Globalization;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Web.Ui;

/// <summary>Instants are stored in UTC and shown as Europe/Stockholm dates and times, the organisation's zone.</summary>
public static class Dates
{
    public static DateTimeOffset Local(DateTime utc) => StockholmTime.Default.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    public static DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(Local(utc).DateTime);

    public static string Date(DateTime utc) => Local(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string DateAndTime(DateTime utc) => Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateTime? utc) => utc is { } u ? Date(u) : "–";
}
