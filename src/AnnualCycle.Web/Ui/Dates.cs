using System.Globalization;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// Instants are stored in UTC and shown as dates and times in the organisation's zone (the configured one,
/// Europe/Stockholm by default). Every component has it as <c>Dates</c> (<c>_Imports.razor</c>).
/// </summary>
public sealed class Dates(StockholmTime zone)
{
    public DateTimeOffset Local(DateTime utc) => zone.ToLocal(utc);

    public DateOnly LocalDate(DateTime utc) => zone.LocalDate(utc);

    /// <summary>The calendar year it is now in the organisation's zone.</summary>
    public int ThisYear(TimeProvider clock) => zone.ToLocal(clock.GetUtcNow()).Year;

    public string Date(DateTime utc) => Local(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string DateAndTime(DateTime utc) => Local(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public string Date(DateTime? utc) => utc is { } u ? Date(u) : "–";
}
