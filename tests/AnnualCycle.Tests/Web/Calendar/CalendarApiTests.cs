using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Calendar;

/// <summary>
/// The calendar subscription on the real host with the demo region (Region Västerbotten) and real sign-in, on
/// SQLite and on PostgreSQL: a handläggare of HSN subscribes, the process owner starts cycle 2027 and moves a date.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CalendarApiTests
{
    private const string BaseUrl = "https://arshjul.test";
    private const string Org = "region-vasterbotten";

    [Fact]
    public async Task Feed_AndTokenApis_WorkOnSqlite()
    {
        await using var factory = AnnualCycleFactory.Sqlite(("PublicBaseUrl", BaseUrl));
        await RunAsync(factory);
    }

    [Fact]
    public async Task Feed_AndTokenApis_WorkOnPostgreSql()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("calendarapi");
        await using var factory = AnnualCycleFactory.PostgreSql(connectionString, ("Demo:Seed", "true"), ("PublicBaseUrl", BaseUrl));
        await RunAsync(factory);
    }

    private static async Task RunAsync(AnnualCycleFactory factory)
    {
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var handlaggare = await ApiClient.SignedInAsync(factory, "hsn.handlaggare@demo.local");
        using var po = await ApiClient.SignedInAsync(factory, "processagare@demo.local");
        using var admin = await ApiClient.SignedInAsync(factory, "admin@demo.local");

        // Who may do what.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/me/calendar/renew", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/bodies/{Org}/HSN/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await handlaggare.GetAsync($"/api/v1/bodies/{Org}/HSN/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await handlaggare.DeleteAsync($"/api/v1/bodies/{Org}/HSN/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await po.GetAsync($"/api/v1/bodies/{Org}/NOPE/calendar")).StatusCode);

        var started = await po.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());
        var cycleId = (await ApiClient.JsonAsync(started)).GetProperty("id").GetGuid();

        // The handläggare's own feed: made on the first call, the URL shown only then.
        var mine = await ApiClient.JsonAsync(await handlaggare.GetAsync("/api/v1/me/calendar"));
        var url = mine.GetProperty("url").GetString()!;
        Assert.True(mine.GetProperty("created").GetBoolean());
        Assert.StartsWith(BaseUrl + "/calendar/", url, StringComparison.Ordinal);
        Assert.EndsWith(".ics", url, StringComparison.Ordinal);
        var again = await ApiClient.JsonAsync(await handlaggare.GetAsync("/api/v1/me/calendar"));
        Assert.Equal(JsonValueKind.Null, again.GetProperty("url").ValueKind);

        var response = await anonymous.GetAsync(PathOf(url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.True(response.Headers.CacheControl?.Private, $"Cache-Control: {response.Headers.CacheControl}");
        Assert.Equal(TimeSpan.FromMinutes(5), response.Headers.CacheControl?.MaxAge);
        var feed = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        var deadlines = feed.Events.Where(e => e.Uid!.StartsWith("step-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(deadlines);
        Assert.All(deadlines, e => Assert.Contains("Hälso- och sjukvårdsnämnden", e.Summary, StringComparison.Ordinal));
        Assert.All(deadlines, e => Assert.StartsWith(BaseUrl + "/steg/", e.Url!.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(feed.Events, e => e.Summary!.Contains("Regionala utvecklingsnämnden", StringComparison.Ordinal));
        Assert.Contains(feed.Events, e => e.Summary == "Sammanträde: Hälso- och sjukvårdsnämnden" && e.DtStart!.AsUtc.Year == 2027);

        // Only the hash is kept.
        var token = TokenOf(url);
        var stored = await Db(factory, db => db.CalendarTokens.AsNoTracking().ToListAsync());
        Assert.Contains(stored, t => t.TokenHash == CalendarTokens.HashOf(token));
        Assert.DoesNotContain(stored, t => t.TokenHash.Contains(token, StringComparison.Ordinal) || t.OwnerId.Contains(token, StringComparison.Ordinal));

        // The process owner moves one of HSN's planned (future) deadlines a week later: same UID, SEQUENCE + 1.
        var steps = await po.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}/steps");
        var step = steps.EnumerateArray()
            .Where(s => s.GetProperty("bodyId").GetString() == "HSN" && s.GetProperty("state").GetString() == "Planned")
            .Where(s => s.GetProperty("dueAtUtc").GetDateTime() > factory.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddDays(14))
            .OrderBy(s => s.GetProperty("dueAtUtc").GetDateTime())
            .First();
        var stepId = step.GetProperty("id").GetGuid();
        var uid = DeadlineEvent.UidFor(stepId.ToString("D"));
        var before = Assert.Single(deadlines, e => e.Uid == uid);
        var newDue = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(step.GetProperty("dueAtUtc").GetDateTime(), AnnualCycle.Tests.Infrastructure.TestZone.Stockholm.Zone)).AddDays(7);
        var moved = await po.PatchAsJsonAsync($"/api/v1/steps/{stepId}", new { due = newDue.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());

        var after = Assert.Single(Ical.Net.Calendar.Load(await anonymous.GetStringAsync(PathOf(url)))!.Events, e => e.Uid == uid);
        Assert.Equal(before.Sequence + 1, after.Sequence);
        // The deadline is an all-day event on the new due date.
        Assert.True(after.IsAllDay);
        Assert.Equal(newDue, after.DtStart!.Date);

        // Renew: the old URL answers 404, the new one works; revoke: 404.
        var renewed = (await ApiClient.JsonAsync(await handlaggare.PostAsync("/api/v1/me/calendar/renew", null))).GetProperty("url").GetString()!;
        Assert.NotEqual(url, renewed);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(PathOf(url))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(PathOf(renewed))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await handlaggare.DeleteAsync("/api/v1/me/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(PathOf(renewed))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/" + new string('A', 43) + ".ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/x.ics")).StatusCode);

        // A body's feed, for the process owner and the administrator.
        var body = await ApiClient.JsonAsync(await po.GetAsync($"/api/v1/bodies/{Org}/RUN/calendar"));
        var bodyUrl = body.GetProperty("url").GetString()!;
        var bodyFeed = Ical.Net.Calendar.Load(await anonymous.GetStringAsync(PathOf(bodyUrl)))!;
        Assert.Contains(bodyFeed.Events, e => e.Summary!.Contains("Regionala utvecklingsnämnden", StringComparison.Ordinal) && e.Uid!.StartsWith("step-", StringComparison.Ordinal));
        Assert.DoesNotContain(bodyFeed.Events, e => e.Summary!.Contains("Hälso- och sjukvårdsnämnden", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/bodies/{Org}/RUN/calendar")).StatusCode);
        var adminRenewed = (await ApiClient.JsonAsync(await admin.PostAsync($"/api/v1/bodies/{Org}/RUN/calendar/renew", null))).GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(PathOf(bodyUrl))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await po.DeleteAsync($"/api/v1/bodies/{Org}/RUN/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(PathOf(adminRenewed))).StatusCode);
    }

    private static string PathOf(string url) => new Uri(url).PathAndQuery;

    private static string TokenOf(string url) => PathOf(url)["/calendar/".Length..^".ics".Length];

    private static async Task<T> Db<T>(AnnualCycleFactory factory, Func<AnnualCycleDbContext, Task<T>> query)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>());
    }
}
