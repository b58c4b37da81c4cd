using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Rendering;

namespace AnnualCycle.Tests.Notifications.Rendering;

public class DeadlineTextTests
{
    [Fact]
    public void Format_IsSwedishLowercaseWithDotTime_InSummer()
    {
        var due = StockholmTime.Default.DeadlineInstant(new DateOnly(2028, 4, 14));
        Assert.Equal(new DateTimeOffset(2028, 4, 14, 21, 59, 0, TimeSpan.Zero), due);
        Assert.Equal("senast fredag 14 april 2028 kl. 23.59", DeadlineText.Format(due, EmailLanguage.Swedish, StockholmTime.Default));
    }

    [Fact]
    public void Format_IsEnglish_WhenRecipientPrefersEnglish()
    {
        var due = StockholmTime.Default.DeadlineInstant(new DateOnly(2028, 4, 14));
        Assert.Equal("by Friday 14 April 2028 at 23:59", DeadlineText.Format(due, EmailLanguage.English, StockholmTime.Default));
    }

    [Fact]
    public void Format_ShowsLocalTime_InWinter()
    {
        // 2026-12-01 23:59 CET is 22:59 UTC; shown as 23.59, not the UTC hour.
        var due = new DateTimeOffset(2026, 12, 1, 22, 59, 0, TimeSpan.Zero);
        Assert.Equal("senast tisdag 1 december 2026 kl. 23.59", DeadlineText.Format(due, EmailLanguage.Swedish, StockholmTime.Default));
    }

    [Theory]
    [InlineData(1, "1 arbetsdag kvar")]
    [InlineData(2, "2 arbetsdagar kvar")]
    [InlineData(0, "0 arbetsdagar kvar")]
    public void WorkingDaysLeftText_UsesSingular_ForOne(int days, string expected) =>
        Assert.Equal(expected, DeadlineText.WorkingDaysLeftText(days, EmailLanguage.Swedish));

    [Fact]
    public void WorkingDaysLeft_SkipsLangfredagen_FromWednesdayToGoodFriday()
    {
        // Wednesday 12 April 2028 08:00 local, deadline Friday 14 April. Easter 2028 is 16 April, so the Friday is
        // långfredagen and only Thursday 13 April counts.
        var now = StockholmTime.Default.ToInstant(new DateOnly(2028, 4, 12), new TimeOnly(8, 0));
        var due = StockholmTime.Default.DeadlineInstant(new DateOnly(2028, 4, 14));
        Assert.Equal(1, DeadlineText.WorkingDaysLeft(now, due, StockholmTime.Default));
    }

    [Fact]
    public void FromPreference_IsSwedish_UnlessEnglishIsAsked()
    {
        Assert.Equal(EmailLanguage.English, EmailKindNames.FromPreference("en-GB"));
        Assert.Equal(EmailLanguage.Swedish, EmailKindNames.FromPreference(null));
        Assert.Equal(EmailLanguage.Swedish, EmailKindNames.FromPreference("fi"));
    }
}
