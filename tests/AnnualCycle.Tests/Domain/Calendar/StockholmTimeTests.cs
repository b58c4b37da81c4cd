using AnnualCycle.Domain.Calendar;

namespace AnnualCycle.Tests.Domain.Calendar;

/// <summary>
/// Daylight saving in Europe/Stockholm, 2026. Boundary cases:
/// - 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist. 08:00 exists once.
/// - 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice. 08:00 exists once.
/// - A daily 08:00 reminder is 23 hours after the previous one across spring-forward and 25 across fall-back,
///   never missing, never doubled.
/// </summary>
public class StockholmTimeTests
{
    private static readonly StockholmTime Time = StockholmTime.Default;

    [Theory]
    [InlineData("2026-03-20", "2026-04-05")]
    [InlineData("2026-10-16", "2026-11-01")]
    public void DailyEightOClock_IsOnePerDayAtLocalEight_AcrossDstTransitions(string from, string to)
    {
        var instants = new List<DateTimeOffset>();
        for (var d = SwedishCalendarTests.D(from); d <= SwedishCalendarTests.D(to); d = d.AddDays(1))
        {
            var instant = Time.ToInstant(d, new TimeOnly(8, 0));
            var local = Time.ToLocal(instant);
            Assert.Equal(new TimeOnly(8, 0), TimeOnly.FromDateTime(local.DateTime));
            Assert.Equal(d, DateOnly.FromDateTime(local.DateTime));
            instants.Add(instant);
        }

        Assert.Equal(instants.Count, instants.Distinct().Count());
        var gaps = instants.Zip(instants.Skip(1), (a, b) => (b - a).TotalHours).ToList();
        Assert.All(gaps, h => Assert.Contains(h, new[] { 23.0, 24.0, 25.0 }));
        Assert.Equal(1, gaps.Count(h => h != 24.0));
    }

    [Fact]
    public void ToInstant_UsesSummerAndWinterOffsetsAroundTheTransitions()
    {
        Assert.Equal(TimeSpan.FromHours(1), Time.ToLocal(Time.ToInstant(new DateOnly(2026, 3, 28), new TimeOnly(8, 0))).Offset);
        Assert.Equal(TimeSpan.FromHours(2), Time.ToLocal(Time.ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(8, 0))).Offset);
        Assert.Equal(TimeSpan.FromHours(2), Time.ToLocal(Time.ToInstant(new DateOnly(2026, 10, 24), new TimeOnly(8, 0))).Offset);
        Assert.Equal(TimeSpan.FromHours(1), Time.ToLocal(Time.ToInstant(new DateOnly(2026, 10, 25), new TimeOnly(8, 0))).Offset);
    }

    [Fact]
    public void ToInstant_MovesATimeInTheSpringGapForwardAndTakesTheFirstAmbiguousAutumnTime()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), Time.ToInstant(new DateOnly(2026, 3, 29), new TimeOnly(2, 30)));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), Time.ToInstant(new DateOnly(2026, 10, 25), new TimeOnly(2, 30)));
    }

    [Fact]
    public void DeadlineInstant_Is2359Local()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 22, 59, 0, TimeSpan.Zero), Time.DeadlineInstant(new DateOnly(2026, 11, 24)));
        Assert.Equal(new DateTimeOffset(2026, 6, 18, 21, 59, 0, TimeSpan.Zero), Time.DeadlineInstant(new DateOnly(2026, 6, 18)));
    }
}
