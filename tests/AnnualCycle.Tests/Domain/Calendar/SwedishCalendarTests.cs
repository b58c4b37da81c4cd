using System.Globalization;
using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Tests.Domain.Calendar;

public class SwedishCalendarTests
{
    // Known dates, written out by hand (almanac), not computed: every allmän helgdag and the three eves, 2024–2030.
    private static readonly Dictionary<int, string[]> Known = new()
    {
        [2024] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "03-29 långfredagen", "03-31 påskdagen", "04-01 annandag påsk", "05-01 första maj", "05-09 Kristi himmelsfärdsdag", "05-19 pingstdagen", "06-06 Sveriges nationaldag", "06-21 midsommarafton", "06-22 midsommardagen", "11-02 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2025] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "04-18 långfredagen", "04-20 påskdagen", "04-21 annandag påsk", "05-01 första maj", "05-29 Kristi himmelsfärdsdag", "06-06 Sveriges nationaldag", "06-08 pingstdagen", "06-20 midsommarafton", "06-21 midsommardagen", "11-01 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2026] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "04-03 långfredagen", "04-05 påskdagen", "04-06 annandag påsk", "05-01 första maj", "05-14 Kristi himmelsfärdsdag", "05-24 pingstdagen", "06-06 Sveriges nationaldag", "06-19 midsommarafton", "06-20 midsommardagen", "10-31 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2027] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "03-26 långfredagen", "03-28 påskdagen", "03-29 annandag påsk", "05-01 första maj", "05-06 Kristi himmelsfärdsdag", "05-16 pingstdagen", "06-06 Sveriges nationaldag", "06-25 midsommarafton", "06-26 midsommardagen", "11-06 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2028] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "04-14 långfredagen", "04-16 påskdagen", "04-17 annandag påsk", "05-01 första maj", "05-25 Kristi himmelsfärdsdag", "06-04 pingstdagen", "06-06 Sveriges nationaldag", "06-23 midsommarafton", "06-24 midsommardagen", "11-04 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2029] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "03-30 långfredagen", "04-01 påskdagen", "04-02 annandag påsk", "05-01 första maj", "05-10 Kristi himmelsfärdsdag", "05-20 pingstdagen", "06-06 Sveriges nationaldag", "06-22 midsommarafton", "06-23 midsommardagen", "11-03 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
        [2030] = ["01-01 nyårsdagen", "01-06 trettondedag jul", "04-19 långfredagen", "04-21 påskdagen", "04-22 annandag påsk", "05-01 första maj", "05-30 Kristi himmelsfärdsdag", "06-06 Sveriges nationaldag", "06-09 pingstdagen", "06-21 midsommarafton", "06-22 midsommardagen", "11-02 alla helgons dag", "12-24 julafton", "12-25 juldagen", "12-26 annandag jul", "12-31 nyårsafton"],
    };

    public static TheoryData<int> Years => new(Known.Keys);

    [Theory]
    [MemberData(nameof(Years))]
    public void HolidaysIn_ReturnsExactlyTheKnownHolidaysAndEves_ForYear(int year)
    {
        var actual = SwedishCalendar.HolidaysIn(year).Select(h => $"{h.Date:MM-dd} {h.Name}").ToArray();

        Assert.Equal(Known[year], actual);
    }

    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2029, "2029-04-01")]
    [InlineData(2030, "2030-04-21")]
    public void EasterSunday_IsTheKnownDate(int year, string expected) =>
        Assert.Equal(D(expected), SwedishCalendar.EasterSunday(year));

    [Theory]
    [InlineData("2026-06-19", false)] // midsommarafton: not a public holiday, but a day off in working life
    [InlineData("2026-12-24", false)]
    [InlineData("2026-12-31", false)]
    [InlineData("2026-06-20", true)]
    [InlineData("2026-10-31", true)]
    public void HolidayOn_MarksEvesAsNotPublicHolidays(string date, bool isPublic)
    {
        var holiday = SwedishCalendar.HolidayOn(D(date));

        Assert.NotNull(holiday);
        Assert.Equal(isPublic, holiday.IsPublicHoliday);
    }

    [Theory]
    [InlineData("2026-04-02", true)]  // skärtorsdagen is a working day
    [InlineData("2026-04-03", false)] // långfredagen
    [InlineData("2026-04-06", false)] // annandag påsk
    [InlineData("2026-05-15", true)]  // klämdag after Kristi himmelsfärd: a working day
    [InlineData("2026-06-19", false)] // midsommarafton
    [InlineData("2026-11-02", true)]
    [InlineData("2026-11-21", false)] // Saturday
    [InlineData("2027-01-06", false)]
    public void IsWorkingDay_FollowsHolidaysAndWeekends(string date, bool expected) =>
        Assert.Equal(expected, SwedishCalendar.IsWorkingDay(D(date)));

    [Theory]
    [InlineData("2026-04-02", 1, "2026-04-07")]  // over långfredagen, påsk and annandag påsk
    [InlineData("2026-04-07", -1, "2026-04-02")]
    [InlineData("2026-12-23", 1, "2026-12-28")]  // julafton, juldagen, annandag jul, weekend
    [InlineData("2026-11-20", 1, "2026-11-23")]  // Friday + 1 = Monday
    [InlineData("2026-11-23", -1, "2026-11-20")]
    [InlineData("2026-11-24", 10, "2026-12-08")]
    [InlineData("2026-11-21", 0, "2026-11-21")]  // zero leaves even a Saturday alone
    [InlineData("2026-06-18", 1, "2026-06-22")]  // midsommarafton
    public void AddWorkingDays_SkipsWeekendsAndHolidays(string from, int days, string expected) =>
        Assert.Equal(D(expected), SwedishCalendar.AddWorkingDays(D(from), days));

    [Theory]
    [InlineData("2026-11-18", "2026-11-20", 2)]
    [InlineData("2026-11-20", "2026-11-18", -2)]
    [InlineData("2026-12-23", "2026-12-28", 1)]
    [InlineData("2026-11-20", "2026-11-20", 0)]
    public void WorkingDaysBetween_CountsExclusiveStartInclusiveEnd(string from, string to, int expected) =>
        Assert.Equal(expected, SwedishCalendar.WorkingDaysBetween(D(from), D(to)));

    [Theory]
    [InlineData(2026, 10, "2026-10-30")]
    [InlineData(2026, 12, "2026-12-30")] // the 31st is nyårsafton
    [InlineData(2027, 12, "2027-12-30")] // the 31st is nyårsafton, a Friday
    [InlineData(2026, 5, "2026-05-29")]
    public void LastWorkingDayOfMonth_SkipsWeekendsAndEves(int year, int month, string expected) =>
        Assert.Equal(D(expected), SwedishCalendar.LastWorkingDayOfMonth(year, month));

    [Theory]
    [InlineData("2026-06-19", "2026-06-18", "2026-06-22")] // midsommarafton: deadline before, statutory after
    [InlineData("2026-05-16", "2026-05-15", "2026-05-18")] // Saturday
    [InlineData("2026-12-24", "2026-12-23", "2026-12-28")]
    [InlineData("2026-11-24", "2026-11-24", "2026-11-24")]
    public void DeadlineMoves_BackForOrdinaryAndForwardForStatutory(string date, string before, string after)
    {
        Assert.Equal(D(before), SwedishCalendar.OnOrBeforeWorkingDay(D(date)));
        Assert.Equal(D(after), SwedishCalendar.OnOrAfterWorkingDay(D(date)));
    }

    [Theory]
    [InlineData("2026-05-10", DayOfWeek.Monday, "2026-05-11")]
    [InlineData("2026-05-11", DayOfWeek.Monday, "2026-05-18")] // strictly after
    public void FirstWeekdayAfter_IsStrictlyAfter(string date, DayOfWeek weekday, string expected) =>
        Assert.Equal(D(expected), SwedishCalendar.FirstWeekdayAfter(D(date), weekday));

    internal static DateOnly D(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
