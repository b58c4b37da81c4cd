using AnnualCycle.Runtime;
using AnnualCycle.Notifications;
using AnnualCycle.Runtime.Calendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Notifications;

/// <summary>Links in emails and calendar feeds follow where the service listens unless <c>PublicBaseUrl</c> is set.</summary>
public sealed class PublicBaseUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("http://localhost:5090/", "http://localhost:5090")]
    [InlineData("http://+:8080", "http://localhost:8080")]
    [InlineData("http://*:8080;https://*:8443", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://[::]:8080", "http://localhost:8080")]
    [InlineData("https://arshjul.region.se", "https://arshjul.region.se")]
    [InlineData("http://127.0.0.1:0;http://127.0.0.1:7000", "http://127.0.0.1:7000")]
    public void FromListeningAddresses_TakesTheFirstUsableAddress(string urls, string expected) =>
        Assert.Equal(expected, PublicBaseUrl.FromListeningAddresses(urls));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("http://127.0.0.1:0")]
    public void FromListeningAddresses_IsNull_WhenNothingIsUsable(string? urls) =>
        Assert.Null(PublicBaseUrl.FromListeningAddresses(urls));

    [Theory]
    [InlineData(null, null, "http://localhost:5080")]
    [InlineData(null, "http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("https://arshjul.region.se", "http://127.0.0.1:8080", "https://arshjul.region.se")]
    public void EmailLinksAndCalendarFeeds_UseTheConfiguredBase_ElseTheListeningAddress(string? configured, string? urls, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PublicBaseUrl"] = configured,
            ["urls"] = urls,
        }).Build();
        // The core registers both option sets (email links and calendar feeds) from the one key.
        using var provider = new ServiceCollection().AddAnnualCycleCore(configuration).BuildServiceProvider();

        Assert.Equal(expected, provider.GetRequiredService<IOptions<EmailOptions>>().Value.PublicBaseUrl);
        Assert.Equal(expected, provider.GetRequiredService<IOptions<CalendarOptions>>().Value.PublicBaseUrl);
    }

    [Fact]
    public void TheRepositorySettings_LeavePublicBaseUrlUnset_SoItFollowsUrls()
    {
        var settings = File.ReadAllText(Path.Combine(AnnualCycle.Runtime.Hosting.RepositoryConfiguration.FindRoot(), "appsettings.json"));
        Assert.DoesNotContain("PublicBaseUrl", settings);
    }
}
