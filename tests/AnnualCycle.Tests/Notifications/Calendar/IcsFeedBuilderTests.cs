using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications.Calendar;

namespace AnnualCycle.Tests.Notifications.Calendar;

public class IcsFeedBuilderTests
{
    // Daylight-saving boundaries in Europe/Stockholm, 2026:
    //  - Sunday 29 March 02:00 CET → 03:00 CEST: a deadline on Friday 27 March ends 23:59+01:00 (22:59Z),
    //    one on Monday 30 March ends 23:59+02:00 (21:59Z).
    //  - Sunday 25 October 03:00 CEST → 02:00 CET: Friday 23 October ends 21:59Z, Monday 26 October 22:59Z.
    //  - The changeover Sundays themselves: 29 March 23:59 is already CEST (21:59Z); 25 October 23:59 is CET (22:59Z).
    [Theory]
    [InlineData("2026-03-27", "2026-03-27T22:59:00Z", "2026-03-27T22:00:00Z")]
    [InlineData("2026-03-29", "2026-03-29T21:59:00Z", "2026-03-29T21:00:00Z")]
    [InlineData("2026-03-30", "2026-03-30T21:59:00Z", "2026-03-30T21:00:00Z")]
    [InlineData("2026-10-23", "2026-10-23T21:59:00Z", "2026-10-23T21:00:00Z")]
    [InlineData("2026-10-25", "2026-10-25T22:59:00Z", "2026-10-25T22:00:00Z")]
    [InlineData("2026-10-26", "2026-10-26T22:59:00Z", "2026-10-26T22:00:00Z")]
    public void DeadlineEvent_ParsesWithIcalNet_WithTheRightUtcInstants_AcrossDaylightSaving(string date, string end, string start)
    {
        var due = StockholmTime.Default.DeadlineInstant(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture));
        var ics = new IcsFeedBuilder(TestEmails.Clock(), StockholmTime.Default).Build("Årshjulet", [TestEmails.Deadline(due, sequence: 2).ToFeedItem(StockholmTime.Default)]);

        var calendar = Ical.Net.Calendar.Load(ics)!;
        var evt = Assert.Single(calendar.Events);

        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal("step-42@annualcycle", evt.Uid);
        Assert.Equal(2, evt.Sequence);
        Assert.Equal("Europe/Stockholm", evt.DtEnd!.TzId);
        Assert.Equal(DateTime.Parse(end, null, System.Globalization.DateTimeStyles.AdjustToUniversal), evt.DtEnd.AsUtc);
        Assert.Equal(DateTime.Parse(start, null, System.Globalization.DateTimeStyles.AdjustToUniversal), evt.DtStart!.AsUtc);
        Assert.Equal("Sista dag: Årsredovisning – Hälso- och sjukvårdsnämnden", evt.Summary);
        Assert.Equal(new Uri("https://arshjul.region.example/steg/42"), evt.Url);
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
