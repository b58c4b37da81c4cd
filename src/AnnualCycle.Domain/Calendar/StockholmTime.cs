namespace AnnualCycle.Domain.Calendar;

/// <summary>
/// Turns calendar dates and local times in the organisation's zone (Europe/Stockholm unless configured)
/// into instants, and back. Deadlines are dates; moments are instants; this is the one place that converts.
/// </summary>
public sealed class StockholmTime
{
    public const string DefaultZoneId = "Europe/Stockholm";

    /// <summary>The default instance, Europe/Stockholm.</summary>
    public static readonly StockholmTime Default = new(TimeZoneInfo.FindSystemTimeZoneById(DefaultZoneId));

    /// <summary>The local time at which a deadline day ends: 23:59 (shown as "kl. 23.59"), seconds zero.</summary>
    public static readonly TimeOnly EndOfDeadlineDay = new(23, 59);

    public StockholmTime(TimeZoneInfo zone) => Zone = zone;

    public TimeZoneInfo Zone { get; }

    /// <summary>
    /// The instant of a local date and time. A time in the spring-forward gap (02:00–03:00 on the last Sunday
    /// of March) does not exist and is moved forward by the gap; an ambiguous autumn time (02:00–03:00 on
    /// the last Sunday of October) is taken at its first occurrence (summer time), so a reminder is never doubled.
    /// </summary>
    public DateTimeOffset ToInstant(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        TimeSpan offset;
        if (Zone.IsAmbiguousTime(local))
        {
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }

        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>A deadline date ends at 23:59 local time on that date; this is that instant.</summary>
    public DateTimeOffset DeadlineInstant(DateOnly date) => ToInstant(date, EndOfDeadlineDay);

    /// <summary>The local wall-clock time of an instant, with its offset (+01:00 or +02:00).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The local calendar date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(ToLocal(instant).DateTime);
}
