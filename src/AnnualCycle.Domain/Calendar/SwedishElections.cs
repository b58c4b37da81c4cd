namespace AnnualCycle.Domain.Calendar;

/// <summary>
/// The general elections that decide who adopts a region's budget. Elections to riksdag, regionfullmäktige and
/// kommunfullmäktige are held on one day every fourth year (2022, 2026, 2030, …): since 2014 the second Sunday of
/// September (vallagen (2005:837) 1 kap. 3 §; before 2014 the third Sunday). The newly elected fullmäktige serve
/// from 15 October of the election year (kommunallagen (2017:725) 5 kap. 9 §), so in an election year the budget for
/// the next year is adopted by the new fullmäktige (kommunallagen 11 kap. 10 §).
/// </summary>
public static class SwedishElections
{
    /// <summary>The law that sets the election day.</summary>
    public const string ElectionDayStatute = "Vallagen (2005:837) 1 kap. 3 §";

    /// <summary>The law that lets the newly elected fullmäktige serve from 15 October.</summary>
    public const string TermStatute = "Kommunallagen (2017:725) 5 kap. 9 §";

    /// <summary>True for 1994, 1998, …, 2022, 2026, 2030: a general election is held that year.</summary>
    public static bool IsElectionYear(int year) => year >= 1994 && (year - 1994) % 4 == 0;

    /// <summary>The election day of an election year: the second Sunday of September (third before 2014).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is no election year.</exception>
    public static DateOnly ElectionDay(int year)
    {
        if (!IsElectionYear(year))
        {
            throw new ArgumentOutOfRangeException(nameof(year), year, "No general election is held this year.");
        }

        var firstSunday = new DateOnly(year, 9, 1);
        while (firstSunday.DayOfWeek != DayOfWeek.Sunday)
        {
            firstSunday = firstSunday.AddDays(1);
        }

        return firstSunday.AddDays(year >= 2014 ? 7 : 14);
    }

    /// <summary>The day the newly elected fullmäktige take office: 15 October of the election year.</summary>
    public static DateOnly NewAssemblyTakesOffice(int electionYear) => new(electionYear, 10, 15);

    /// <summary>
    /// True when the cycle for <paramref name="budgetYear"/> adopts its budget in an election year: the budget is
    /// decided the year before the budget year, so the cycle for 2027 is an election-year cycle (election 2026).
    /// </summary>
    public static bool IsElectionCycle(int budgetYear) => IsElectionYear(budgetYear - 1);
}
