using System.Collections.Concurrent;
using System.Diagnostics;
using AnnualCycle.Runtime.Jobs;
using AnnualCycle.Tests.Infrastructure;
using Hangfire;
using Hangfire.Logging;
using Hangfire.PostgreSql;

namespace AnnualCycle.Tests.Runtime.Jobs;

/// <summary>
/// A scheduled job on PostgreSQL storage, with the service's own settings (<see cref="HangfireSetup"/>),
/// runs at or after its due time, and once. Several jobs at different sub-second offsets, because an unrounded due time
/// would fire up to 0.8 s early. How LATE it runs is a speed figure, measured by <c>bench timers</c>, never here.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class HangfireSchedulingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Ran = new();
    private static readonly ConcurrentDictionary<string, int> Runs = new();

#pragma warning disable xUnit1013 // called by Hangfire, not a test
    public static void Record(string token)
    {
        Ran.TryAdd(token, DateTimeOffset.UtcNow);
        Runs.AddOrUpdate(token, 1, (_, n) => n + 1);
    }
#pragma warning restore xUnit1013

    [Fact]
    public async Task ScheduledJob_RunsNoEarlierThanDue_AndOnce_OnPostgreSql()
    {
        LogProvider.SetCurrentLogProvider(null);
        var storage = new PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.ConnectionString, HangfireSetup.PostgreSqlOptions()), HangfireSetup.PostgreSqlOptions());
        var client = new BackgroundJobClient(storage);
        using var server = new BackgroundJobServer(
            // Its own activator: the process-wide one may belong to a host an earlier test disposed, and Hangfire
            // begins an activation scope even for a static method.
            new BackgroundJobServerOptions { SchedulePollingInterval = HangfireSetup.SchedulePollingInterval, WorkerCount = 4, Activator = new JobActivator() },
            storage);

        var now = DateTimeOffset.UtcNow;
        var due = new Dictionary<string, DateTimeOffset>();
        foreach (var offsetMs in new[] { 2100, 2550, 3900 })
        {
            var token = Guid.NewGuid().ToString("N");
            var dueAt = HangfireSetup.RoundUpToSecond(now.AddMilliseconds(offsetMs));
            due[token] = dueAt;
            client.Schedule(() => Record(token), dueAt);
        }

        // A bound on waiting, not a speed assertion: a job that has not run after a minute never will.
        var watch = Stopwatch.StartNew();
        while (due.Keys.Any(k => !Ran.ContainsKey(k)) && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(50);
        }

        // Long enough for a second run to show, were there one (the schedule poll is 250 ms).
        await Task.Delay(HangfireSetup.SchedulePollingInterval * 8);
        foreach (var (token, dueAt) in due)
        {
            Assert.True(Ran.TryGetValue(token, out var ranAt), $"job due {dueAt:O} never ran");
            Assert.True(ranAt >= dueAt, $"job due {dueAt:O} ran {(dueAt - ranAt).TotalMilliseconds:F0} ms early");
            Assert.Equal(1, Runs[token]);
        }
    }

    [Theory]
    [InlineData("2026-10-25T01:59:59.0000000+00:00", "2026-10-25T01:59:59.0000000+00:00")]
    [InlineData("2026-10-25T01:59:59.0010000+00:00", "2026-10-25T02:00:00.0000000+00:00")]
    [InlineData("2026-03-29T00:59:59.9990000+00:00", "2026-03-29T01:00:00.0000000+00:00")]
    public void RoundUpToSecond_NeverMovesADueTimeEarlier(string input, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            HangfireSetup.RoundUpToSecond(DateTimeOffset.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));
}
