using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Meetings;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Problems;

/// <summary>
/// Issue 12, "no 500 for anything a user can cause", on the real host: a cycle whose dates the meeting calendar no
/// longer resolves (reschedule and its preview: 409 naming the meeting), starts racing for one year (one 201, the rest
/// 409) or asking for a year the calendar does not cover (400 naming <c>year</c>), and a PostgreSQL server that stops
/// (503 with <c>Retry-After</c>, then answers again when it is back).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class NoServerErrorTests
{
    private const string Org = "region-vasterbotten";

    [Fact]
    public async Task RescheduleAndItsPreview_Answer409NamingTheMeeting_WhenTheCalendarNoLongerResolvesTheCycle()
    {
        await using var host = AnnualCycleFactory.Sqlite();
        using var owner = await ApiClient.SignedInAsync(host, "processagare@demo.local");
        var start = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var cycle = (await ApiClient.JsonAsync(start)).GetProperty("id").GetGuid();
        var steps = (await ApiClient.JsonAsync(await owner.GetAsync($"/api/v1/cycles/{cycle}/steps"))).EnumerateArray()
            .Where(s => s.GetProperty("state").GetString() is "Planned" or "Opened").Select(s => s.GetProperty("id").GetGuid()).ToList();

        // What an import of regionstyrelsen's 2026 meetings with one January date left behind (issue 12: the import
        // replaced every meeting of the bodies it named): the dates anchored to RS's later meetings cannot be resolved.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.ImportedMeetings.Add(new ImportedMeetingEntity
            {
                Id = Guid.NewGuid(), OrganisationId = Org, Year = 2026, BodyId = "RS", Date = new DateOnly(2026, 1, 15),
                ImportedAtUtc = DateTime.UtcNow, ImportedByUserId = "test",
            });
            await db.SaveChangesAsync();
        }

        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var step in steps.Take(12))
        {
            foreach (var request in new[]
            {
                new HttpRequestMessage(HttpMethod.Post, $"/api/v1/steps/{step}/reschedule-preview") { Content = JsonContent.Create(new { due = "2027-06-01" }) },
                new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/steps/{step}") { Content = JsonContent.Create(new { due = "2027-06-01" }) },
            })
            {
                using var response = await owner.SendAsync(request);
                answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        }

        Assert.DoesNotContain(answers, a => (int)a.Status >= 500);
        var unresolvable = answers.Where(a => a.Status == HttpStatusCode.Conflict).ToList();
        Assert.NotEmpty(unresolvable);
        Assert.True(unresolvable.All(a => a.Body.Contains("RS", StringComparison.Ordinal) && a.Body.Contains("sammanträdesplan", StringComparison.Ordinal)),
            string.Join("\n", unresolvable.Select(a => a.Body)));
    }

    [Fact]
    public async Task TwentyParallelStarts_OfOneYear_OneIsCreatedAndTheRestAre409_OnPostgreSql()
    {
        await using var host = AnnualCycleFactory.PostgreSql(await PostgresServer.CreateDatabaseAsync("starts"), ("Demo:Seed", "true"));
        using var owner = await ApiClient.SignedInAsync(host, "processagare@demo.local");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2028 });
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.Created) == 1, string.Join("\n", answers.Select(a => $"{(int)a.StatusCode} {a.Body}")));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
    }

    [Fact]
    public async Task TwentyParallelStarts_OfAYearTheCalendarDoesNotCover_AreAll400NamingYear()
    {
        await using var host = AnnualCycleFactory.Sqlite();
        using var owner = await ApiClient.SignedInAsync(host, "processagare@demo.local");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2040 })));

        foreach (var answer in answers)
        {
            Assert.Contains("2039", await ApiClient.FieldErrorAsync(answer, "year"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WhilePostgreSqlIsDown_TheApiAnswers503WithRetryAfter_AndAnswersAgainWhenItIsBack()
    {
        await using var cluster = await ThrowawayPostgresCluster.StartNewAsync();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Pooling = true, Timeout = 3 }.ConnectionString;
        await using var host = AnnualCycleFactory.PostgreSql(connection, ("Demo:Seed", "true"));
        using var owner = await ApiClient.SignedInAsync(host, "processagare@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/cycles")).StatusCode);

        await cluster.StopAsync();
        foreach (var (method, url, body) in new (HttpMethod, string, object?)[]
        {
            (HttpMethod.Get, "/api/v1/cycles", null),
            (HttpMethod.Get, "/api/v1/me/tasks", null),
            (HttpMethod.Post, "/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 }),
            (HttpMethod.Post, "/api/v1/auth/login", new { email = "processagare@demo.local", password = "Arshjul-demo-2026!" }),
        })
        {
            using var response = await owner.SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) });
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        await cluster.StartAsync();
        var back = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 50 && back != HttpStatusCode.OK; i++)
        {
            back = (await owner.GetAsync("/api/v1/cycles")).StatusCode;
            await Task.Delay(100);
        }

        Assert.Equal(HttpStatusCode.OK, back);
    }
}
