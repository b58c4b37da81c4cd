using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web;

/// <summary>
/// Issue 12, "no false conflicts", through the API on PostgreSQL (where it was measured: 25 of 60 moves a false 409 in a
/// 4-thread test): four process owners' clients move four different steps of one cycle at once, 60 moves each; every
/// move is a 200 and each step ends where its last move put it. <c>RescheduleTimersTests</c> checks the handler on both providers.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ParallelRescheduleApiTests
{
    private const string Org = "region-vasterbotten";
    private const int Threads = 4;
    private const int MovesPerThread = 60;

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    [Fact]
    public async Task FourThreads_MovingDifferentSteps_SixtyTimesEach_OnPostgreSql_NeverConflict()
    {
        await using var host = AnnualCycleFactory.PostgreSql(await PostgresServer.CreateDatabaseAsync("moves"), ("Demo:Seed", "true"));
        using var starter = await ApiClient.SignedInAsync(host, "processagare@demo.local");
        var start = await starter.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = Org, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var cycle = (await ApiClient.JsonAsync(start)).GetProperty("id").GetGuid();
        var all = (await ApiClient.JsonAsync(await starter.GetAsync($"/api/v1/cycles/{cycle}/steps"))).EnumerateArray().ToList();

        // Four steps of two bodies, none feeding another's date, all due in 2027 (after the real date, December 2026).
        string[] keys = ["manadsrapport#1/HSN", "manadsrapport#2/RUN", "manadsrapport#3/HSN", "manadsrapport#4/RUN"];
        var steps = keys.Select(key =>
        {
            var step = all.Single(s => s.GetProperty("key").GetString() == key);
            var due = TimeZoneInfo.ConvertTimeFromUtc(step.GetProperty("dueAtUtc").GetDateTime(), Stockholm);
            return (Key: key, Id: step.GetProperty("id").GetGuid(), Due: DateOnly.FromDateTime(due));
        }).ToList();
        var clients = new List<HttpClient>();
        for (var n = 0; n < Threads; n++)
        {
            clients.Add(await ApiClient.SignedInAsync(host, "processagare@demo.local"));
        }

        var failures = new List<string>();
        var last = new DateOnly[Threads];
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < MovesPerThread; i++)
            {
                var due = steps[n].Due.AddDays(1 + (i % 5));
                using var response = await clients[n].PatchAsJsonAsync($"/api/v1/steps/{steps[n].Id}", new { due = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    last[n] = due;
                }
                else
                {
                    var body = await response.Content.ReadAsStringAsync();
                    lock (failures)
                    {
                        failures.Add($"{steps[n].Key} move {i}: {(int)response.StatusCode} {body}");
                    }
                }
            }
        })));

        Assert.True(failures.Count == 0, $"{failures.Count} of {Threads * MovesPerThread} moves failed:\n" + string.Join("\n", failures.Take(20)));
        for (var n = 0; n < Threads; n++)
        {
            var step = (await ApiClient.JsonAsync(await starter.GetAsync($"/api/v1/steps/{steps[n].Id}"))).GetProperty("step");
            var due = TimeZoneInfo.ConvertTimeFromUtc(step.GetProperty("dueAtUtc").GetDateTime(), Stockholm);
            Assert.Equal(last[n], DateOnly.FromDateTime(due)); // no lost update
        }

        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
