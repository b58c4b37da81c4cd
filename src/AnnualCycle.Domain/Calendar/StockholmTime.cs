namespace AnnualCycle.Domain.Calendar;

/// <summary>
/// Turns calendar dates and local times in the organisation's zone (Europe/Stockholm unless configured)
/// into instants, and back. Deadlines are dates; moments are instants; this is the one place that converts.
/// There is no static instance: the zone is read once from configuration (key <c>TimeZone</c>) by the
/// composition root and reaches every user through its constructor or a parameter.
/// </summary>
public sealed class StockholmTime
{
    public const string DefaultZoneId = "Europe/Stockholm";

    /// <summary>The local time at which a deadline day ends: 23:59 (shown as "kl. 23.59"), seconds zero.</summary>
    public static readonly TimeOnly EndOfDeadlineDay = new(23, 59);

    public StockholmTime(TimeZoneInfo zone) => Zone = zone;

    /// <summary>The zone with this IANA (or Windows) id, e.g. <c>Europe/Stockholm</c>.</summary>
    /// <exception cref="TimeZoneNotFoundException">The machine knows no such zone.</exception>
    public static StockholmTime ForZone(string zoneId) => new(TimeZoneInfo.FindSystemTimeZoneById(zoneId));

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

    /// <summary>The local calendar date of a UTC time as the database stores it (any <see cref="DateTime.Kind"/> is read as UTC).</summary>
    public DateOnly LocalDate(DateTime utc) => LocalDate(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    /// <summary>The local wall-clock time of a UTC time as the database stores it.</summary>
    public DateTimeOffset ToLocal(DateTime utc) => ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
}
