using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnnualCycle.Tests.Infrastructure;

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
        // A deployment whose organisation file loses regionstyrelsen's meetings of 2026 after cycle 2027 started
        // (an edited file, or an import that replaced them): every date anchored to those meetings is unresolvable.
        var workflows = CopyOfShippedWorkflows();
        var data = Directory.CreateTempSubdirectory("annualcycle-noserver-").FullName;
        var steps = new List<Guid>();
        await using (var before = AnnualCycleFactory.Sqlite(("DataFolder", data), ("Workflows:Folder", workflows)))
        {
            using var owner = await ApiClient.SignedInAsync(before, "processagare@demo.local");
            var start = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 });
            Assert.Equal(HttpStatusCode.Created, start.StatusCode);
            var cycle = (await ApiClient.JsonAsync(start)).GetProperty("id").GetGuid();
            var list = (await ApiClient.JsonAsync(await owner.GetAsync($"/api/v1/cycles/{cycle}/steps"))).EnumerateArray();
            steps.AddRange(list.Where(s => s.GetProperty("state").GetString() is "Planned" or "Opened").Select(s => s.GetProperty("id").GetGuid()));
        }

        RemoveMeetings(workflows, "RS", 2026);
        await using var after = AnnualCycleFactory.Sqlite(("DataFolder", data), ("Workflows:Folder", workflows));
        using var client = await ApiClient.SignedInAsync(after, "processagare@demo.local");
        var answers = new List<(HttpStatusCode Status, string Body)>();
        foreach (var step in steps.Take(12))
        {
            foreach (var request in new[]
            {
                new HttpRequestMessage(HttpMethod.Post, $"/api/v1/steps/{step}/reschedule-preview") { Content = JsonContent.Create(new { due = "2027-06-01" }) },
                new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/steps/{step}") { Content = JsonContent.Create(new { due = "2027-06-01" }) },
            })
            {
                using var response = await client.SendAsync(request);
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

    /// <summary>The repository's <c>workflows/</c> copied to a temp folder a test may edit.</summary>
    internal static string CopyOfShippedWorkflows()
    {
        var source = Path.Combine(Faults.WebProcess.RepositoryRoot, "workflows");
        var target = Directory.CreateTempSubdirectory("annualcycle-workflows-").FullName;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return target;
    }

    private static void RemoveMeetings(string workflows, string body, int year)
    {
        var path = Path.Combine(workflows, "organisations", $"{Org}.json");
        var organisation = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var meetings = organisation["meetings"]!.AsArray();
        foreach (var entry in meetings.Where(m => (string?)m!["body"] == body && (int?)m!["year"] == year).ToList())
        {
            meetings.Remove(entry);
        }

        File.WriteAllText(path, organisation.ToJsonString());
    }
}
