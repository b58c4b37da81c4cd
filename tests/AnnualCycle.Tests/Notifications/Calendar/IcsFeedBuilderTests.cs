using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications.Calendar;

namespace AnnualCycle.Tests.Notifications.Calendar;

public class IcsFeedBuilderTests
{
    // A deadline is an all-day event on its Stockholm due date, whatever the daylight-saving state: the dates of the
    // changeover weeks of 2026 (Sunday 29 March CET → CEST, Sunday 25 October CEST → CET) and the Fridays and Mondays
    // around them. The exact time, 23.59 local, is the first line of the description.
    [Theory]
    [InlineData("2026-03-27", "fredag 27 mars 2026")]
    [InlineData("2026-03-29", "söndag 29 mars 2026")]
    [InlineData("2026-03-30", "måndag 30 mars 2026")]
    [InlineData("2026-10-23", "fredag 23 oktober 2026")]
    [InlineData("2026-10-25", "söndag 25 oktober 2026")]
    [InlineData("2026-10-26", "måndag 26 oktober 2026")]
    [InlineData("2026-12-31", "torsdag 31 december 2026")]
    public void DeadlineEvent_IsAnAllDayEventOnTheDueDate_WithTheExactTimeInTheDescription(string date, string swedishDate)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        var due = StockholmTime.Default.DeadlineInstant(day);
        var ics = new IcsFeedBuilder(TestEmails.Clock(), StockholmTime.Default).Build("Årshjulet", [TestEmails.Deadline(due, sequence: 2).ToFeedItem(StockholmTime.Default)]);

        Assert.Contains($"\r\nDTSTART;VALUE=DATE:{day:yyyyMMdd}\r\n", ics);
        Assert.Contains($"\r\nDTEND;VALUE=DATE:{day.AddDays(1):yyyyMMdd}\r\n", ics);
        var calendar = Ical.Net.Calendar.Load(ics)!;
        var evt = Assert.Single(calendar.Events);
        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal("step-42@annualcycle", evt.Uid);
        Assert.Equal(2, evt.Sequence);
        Assert.True(evt.IsAllDay);
        Assert.False(evt.DtStart!.HasTime);
        Assert.Equal(day, evt.DtStart.Date);
        Assert.Equal(day.AddDays(1), evt.DtEnd!.Date);
        Assert.Equal($"Sista dag: {swedishDate} kl. 23.59", evt.Description);
        Assert.Equal("Sista dag: Årsredovisning – Hälso- och sjukvårdsnämnden", evt.Summary);
        Assert.Equal(new Uri("https://arshjul.region.example/steg/42"), evt.Url);
        Assert.Equal("TRANSPARENT", evt.Transparency);
    }

    [Fact]
    public void DeadlineEvent_PutsTheExactTimeBeforeItsOwnDescription()
    {
        var item = (TestEmails.Deadline() with { Description = "Nämndplan\nOrgan: Hälso- och sjukvårdsnämnden" }).ToFeedItem(StockholmTime.Default);
        Assert.Equal("Sista dag: fredag 14 april 2028 kl. 23.59\nNämndplan\nOrgan: Hälso- och sjukvårdsnämnden", item.Description);
        Assert.True(item.AllDay);
    }

    [Fact]
    public void Feed_HoldsManyEvents_WithEscapedTextAndFoldedLines()
    {
        var clock = TestEmails.Clock();
        var meeting = new IcsFeedItem(
            "meeting-7@annualcycle",
            0,
            "Regionfullmäktige; sammanträde, budget \\ plan",
            new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero),
            "https://arshjul.region.example/meetings/7",
            "Rad ett\nRad två med en mycket lång text som måste vikas eftersom rader i iCalendar är högst 75 oktetter långa.");
        var items = Enumerable.Range(1, 30)
            .Select(i => TestEmails.Deadline(TestEmails.Due.AddDays(i), i) with { StepId = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Select(d => d.ToFeedItem(StockholmTime.Default))
            .Append(meeting)
            .ToList();

        var ics = new IcsFeedBuilder(clock, StockholmTime.Default).Build("Hälso- och sjukvårdsnämnden", items);

        Assert.All(ics.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        var calendar = Ical.Net.Calendar.Load(ics)!;
        Assert.Equal(31, calendar.Events.Count);
        Assert.Equal(30, calendar.Events.Select(e => e.Uid).Distinct().Count(u => u!.StartsWith("step-", StringComparison.Ordinal)));
        var parsedMeeting = calendar.Events.Single(e => e.Uid == "meeting-7@annualcycle");
        Assert.Equal("Regionfullmäktige; sammanträde, budget \\ plan", parsedMeeting.Summary);
        Assert.StartsWith("Rad ett\nRad två", parsedMeeting.Description);
        Assert.EndsWith("75 oktetter långa.", parsedMeeting.Description);
        Assert.Equal(new DateTime(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc), parsedMeeting.DtStart!.AsUtc);
    }

    [Fact]
    public void Feed_RefusesAnEventThatEndsBeforeItStarts()
    {
        var item = new IcsFeedItem("x@annualcycle", 0, "x", TestEmails.Due, TestEmails.Due.AddHours(-1), null);
        Assert.Throws<ArgumentException>(() => new IcsFeedBuilder(TestEmails.Clock(), StockholmTime.Default).Build("c", [item]));
    }
}
