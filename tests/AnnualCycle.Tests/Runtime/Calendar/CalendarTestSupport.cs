using AnnualCycle.Data;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Runtime.Calendar;

/// <summary>The test region with a sammanträdesplan for HSN and RUN, and the feed built over an <see cref="EngineHarness"/>.</summary>
internal static class CalendarTestSupport
{
    public const string BaseUrl = "https://arshjul.test";

    /// <summary>HSN meets 2027-02-10 (no time: 09:00) and 2027-06-09 13:00; RUN meets 2027-02-11.</summary>
    public static readonly Organisation Organisation = FakeCyclePlanner.Organisation with
    {
        Meetings =
        [
            new MeetingDate("HSN", new DateOnly(2027, 2, 10), null, false, "test"),
            new MeetingDate("HSN", new DateOnly(2027, 6, 9), new TimeOnly(13, 0), true, "test"),
            new MeetingDate("RUN", new DateOnly(2027, 2, 11), null, false, "test"),
        ],
    };

    public static Task<EngineHarness> HarnessAsync(string provider) => provider == "PostgreSql"
        ? PostgresServer.CreateDatabaseAsync("calendar").ContinueWith(t => EngineHarness.PostgreSqlAsync(t.Result)).Unwrap()
        : EngineHarness.SqliteAsync();

    public static Task<T> WithFeedAsync<T>(EngineHarness h, Func<CalendarFeed, CalendarTokens, Task<T>> action) => h.InScopeAsync(sp =>
    {
        // The feed as the core builds it, over this test's region (meetings included) and base URL.
        var feed = ActivatorUtilities.CreateInstance<CalendarFeed>(sp, (IWorkflowCatalog)new Catalog(), Options.Create(new CalendarOptions { PublicBaseUrl = BaseUrl }));
        return action(feed, sp.GetRequiredService<CalendarTokens>());
    });

    public static async Task<Ical.Net.Calendar> FeedAsync(EngineHarness h, CalendarOwner owner)
    {
        var ics = await WithFeedAsync(h, (feed, _) => feed.BuildAsync(owner));
        Assert.NotNull(ics);
        return Ical.Net.Calendar.Load(ics)!;
    }

    private sealed class Catalog : IWorkflowCatalog
    {
        public IReadOnlyList<WorkflowSummary> Workflows { get; } = new FakeWorkflowCatalog().Workflows;

        public IReadOnlyList<Organisation> Organisations { get; } = [Organisation];

        public IReadOnlyList<string> Problems { get; } = [];

        public Organisation? FindOrganisation(string id) => Organisations.FirstOrDefault(o => o.Id == id);
    }
}
