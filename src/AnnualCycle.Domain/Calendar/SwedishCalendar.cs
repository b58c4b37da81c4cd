namespace AnnualCycle.Domain.Calendar;

/// <summary>A Swedish public holiday or a day treated as one in working life.</summary>
/// <param name="Date">The calendar date.</param>
/// <param name="Name">Swedish name, e.g. "midsommarafton".</param>
/// <param name="IsPublicHoliday">True for allmän helgdag (Lag 1989:253); false for the eves that are
/// days off in working life (midsommarafton, julafton, nyårsafton).</param>
public sealed record Holiday(DateOnly Date, string Name, bool IsPublicHoliday);

/// <summary>
/// The Swedish calendar: public holidays (Lag (1989:253) om allmänna helgdagar), the eves treated as
/// holidays in working life, and working-day arithmetic. A working day is Monday–Friday and none of
/// those days. Pure and allocation-light; every method is safe to call from any thread.
/// </summary>
public static class SwedishCalendar
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyDictionary<DateOnly, Holiday>> Cache = new();

    /// <summary>Easter Sunday (Gregorian, anonymous algorithm / Meeus–Jones–Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>Every holiday of a year, public and de facto, in date order.</summary>
    public static IReadOnlyList<Holiday> HolidaysIn(int year) => HolidayMap(year).Values.OrderBy(h => h.Date).ToList();

    /// <summary>The holiday on this date, if any (public holidays and midsommarafton, julafton, nyårsafton).</summary>
    public static Holiday? HolidayOn(DateOnly date) => HolidayMap(date.Year).GetValueOrDefault(date);

    /// <summary>Monday–Friday and not a holiday or holiday eve.</summary>
    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && HolidayOn(date) is null;

    /// <summary>
    /// The date itself when it is a working day, else the nearest working day before it. Deadlines that fall
    /// on a day off move here: the work must be in before the weekend or holiday.
    /// </summary>
    public static DateOnly OnOrBeforeWorkingDay(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(-1);
        }

        return date;
    }

    /// <summary>
    /// The date itself when it is a working day, else the next one: where a step opens when its open date is a day
    /// off. (Lag (1930:173) would let a statutory deadline on a day off be met the next working day; the planner does
    /// not use that for deadlines, it keeps them on or before the law's date: see <see cref="OnOrBeforeWorkingDay"/>.)
    /// </summary>
    public static DateOnly OnOrAfterWorkingDay(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>
    /// Moves <paramref name="workingDays"/> working days from <paramref name="date"/> (negative: backwards).
    /// The start date itself is not counted: Friday + 1 is the following Monday (when that is a working day),
    /// and Monday − 1 the Friday before. Zero returns the date unchanged, working day or not.
    /// </summary>
    public static DateOnly AddWorkingDays(DateOnly date, int workingDays)
    {
        var step = Math.Sign(workingDays);
        var remaining = Math.Abs(workingDays);
        while (remaining > 0)
        {
            date = date.AddDays(step);
            if (IsWorkingDay(date))
            {
                remaining--;
            }
        }

        return date;
    }

    /// <summary>
    /// Working days from <paramref name="from"/> (exclusive) to <paramref name="to"/> (inclusive); negative when
    /// <paramref name="to"/> is earlier. Used for "N arbetsdagar kvar": from today to a deadline on Friday,
    /// when today is Wednesday, is 2.
    /// </summary>
    public static int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to == from)
        {
            return 0;
        }

        var sign = to > from ? 1 : -1;
        var count = 0;
        for (var d = from; d != to;)
        {
            d = d.AddDays(sign);
            if (IsWorkingDay(d))
            {
                count++;
            }
        }

        return sign * count;
    }

    /// <summary>The last working day of a month, e.g. 2026-10-30 for October 2026 (the 31st is a Saturday).</summary>
    public static DateOnly LastWorkingDayOfMonth(int year, int month) =>
        OnOrBeforeWorkingDay(new DateOnly(year, month, DateTime.DaysInMonth(year, month)));

    /// <summary>The first working day of a month.</summary>
    public static DateOnly FirstWorkingDayOfMonth(int year, int month) => OnOrAfterWorkingDay(new DateOnly(year, month, 1));

    /// <summary>The first given weekday strictly after a date ("the first Monday after 1 May").</summary>
    public static DateOnly FirstWeekdayAfter(DateOnly date, DayOfWeek weekday)
    {
        var days = ((int)weekday - (int)date.DayOfWeek + 7) % 7;
        return date.AddDays(days == 0 ? 7 : days);
    }

    private static IReadOnlyDictionary<DateOnly, Holiday> HolidayMap(int year) => Cache.GetOrAdd(year, Build);

    private static IReadOnlyDictionary<DateOnly, Holiday> Build(int year)
    {
        var easter = EasterSunday(year);
        // Midsommardagen is the Saturday 20–26 June; alla helgons dag the Saturday 31 October–6 November.
        var midsummerDay = FirstSaturdayOnOrAfter(new DateOnly(year, 6, 20));
        var allSaints = FirstSaturdayOnOrAfter(new DateOnly(year, 10, 31));
        var list = new List<Holiday>
        {
            new(new DateOnly(year, 1, 1), "nyårsdagen", true),
            new(new DateOnly(year, 1, 6), "trettondedag jul", true),
            new(easter.AddDays(-2), "långfredagen", true),
            new(easter, "påskdagen", true),
            new(easter.AddDays(1), "annandag påsk", true),
            new(new DateOnly(year, 5, 1), "första maj", true),
            new(easter.AddDays(39), "Kristi himmelsfärdsdag", true),
            new(easter.AddDays(49), "pingstdagen", true),
            new(new DateOnly(year, 6, 6), "Sveriges nationaldag", true),
            new(midsummerDay.AddDays(-1), "midsommarafton", false),
            new(midsummerDay, "midsommardagen", true),
            new(allSaints, "alla helgons dag", true),
            new(new DateOnly(year, 12, 24), "julafton", false),
            new(new DateOnly(year, 12, 25), "juldagen", true),
            new(new DateOnly(year, 12, 26), "annandag jul", true),
            new(new DateOnly(year, 12, 31), "nyårsafton", false),
        };

        // Two rules can land on one date (pingstdagen is always a Sunday; nationaldagen can be one too);
        // keep the first, a public holiday, so the name shown is the law's.
        var map = new Dictionary<DateOnly, Holiday>();
        foreach (var h in list)
        {
            map.TryAdd(h.Date, h);
        }

        return map;
    }

    private static DateOnly FirstSaturdayOnOrAfter(DateOnly date) =>
        date.DayOfWeek == DayOfWeek.Saturday ? date : FirstWeekdayAfter(date, DayOfWeek.Saturday);
}
