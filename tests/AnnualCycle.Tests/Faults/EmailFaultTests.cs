using System.Diagnostics;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// Email delivery under faults, with real processes: the web host as a child process killed with SIGKILL, a real
/// SMTP server (aiosmtpd) and real databases. Each test is bounded in time; each asserts that every email arrives,
/// that at most one arrives twice per kill (counted by Message-ID in the maildir), that no outbox row is lost, and
/// that the journal verifies.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class EmailFaultTests
{
    private const int Rows = 600;
    private static readonly TimeSpan DeliveredWithin = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task KilledWhileSendingABatch_RestartSendsTheRestAtOnce_AtMostOneDuplicate(string provider)
    {
        using var smtp = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var data = await FaultData.CreateAsync(provider);
        var ids = await data.RecordDigestsAsync(Rows);
        using var web = new WebProcess(data.With(smtp));

        // The host sends the outbox as soon as it starts; kill it in the middle of that.
        var start = web.StartAsync();
        await WaitUntilAsync(() => smtp.ReceivedMessages().Count >= 60, TimeSpan.FromSeconds(90), "the first messages to arrive", web, start);
        web.Kill();
        await IgnoreAsync(start);
        var atKill = smtp.ReceivedMessages().Count;
        Assert.True(atKill < Rows, $"all {Rows} were sent before the kill; the test proves nothing");

        var restarted = Stopwatch.StartNew();
        await web.StartAsync();
        await WaitUntilAsync(async () => (await data.OutboxAsync()).All(r => r.State == OutboxState.Sent), DeliveredWithin, "every row Sent after the restart", web);
        var took = restarted.Elapsed;
        web.Kill();

        AssertDeliveredOnce(ids, smtp, allowedDuplicates: 1, $"killed after {atKill} arrived; the rest took {took.TotalSeconds:0.0} s after the restart");
        await AssertJournalCleanAsync(data);
    }

    [Fact]
    public async Task PostgreSqlRestartedWhileSendingABatch_EverythingArrives_AtMostOneDuplicate()
    {
        using var smtp = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var cluster = await ThrowawayPostgresCluster.StartNewAsync();
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Pooling = true, Timeout = 5 }.ConnectionString;
        await using var data = await FaultData.PostgreSqlAsync(connection);
        var ids = await data.RecordDigestsAsync(Rows);
        using var web = new WebProcess(data.With(smtp));

        var start = web.StartAsync();
        await WaitUntilAsync(() => smtp.ReceivedMessages().Count >= 60, TimeSpan.FromSeconds(90), "the first messages to arrive", web, start);
        await cluster.StopAsync(immediate: false); // a restart by an administrator: fast shutdown
        var atStop = smtp.ReceivedMessages().Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.StartAsync();
        await IgnoreAsync(start);

        await WaitUntilAsync(async () => (await data.OutboxAsync()).All(r => r.State == OutboxState.Sent), TimeSpan.FromSeconds(150), "every row Sent after the database came back", web);
        web.Kill();

        Assert.True(atStop < Rows, $"all {Rows} were sent before the database stopped; the test proves nothing");
        AssertDeliveredOnce(ids, smtp, allowedDuplicates: 1, $"database stopped after {atStop} arrived");
        await AssertJournalCleanAsync(data);
    }

    [Fact]
    public async Task SmtpServerDownForAWhile_ThenBack_EverythingArrives_AtMostOneDuplicate()
    {
        using var smtp = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var data = await FaultData.SqliteAsync();
        var ids = await data.RecordDigestsAsync(Rows);
        using var web = new WebProcess(data.With(smtp));

        var start = web.StartAsync();
        await WaitUntilAsync(() => smtp.ReceivedMessages().Count >= 60, TimeSpan.FromSeconds(90), "the first messages to arrive", web, start);
        smtp.Stop();
        await start;
        await WaitUntilAsync(async () => (await data.OutboxAsync()).Any(r => r.State == OutboxState.Retrying), TimeSpan.FromSeconds(30), "rows waiting to be retried", web);
        await Task.Delay(TimeSpan.FromSeconds(2));
        smtp.Start();
        // What an administrator's "Skicka nu" does for each waiting row (the retry rule itself is tested in
        // OutboxDispatcherTests): due now, so the minute sweep sends them rather than the backoff's next try. Pressed
        // again while waiting: on a loaded machine a row whose attempt failed just before the server came back may
        // be recorded Retrying only after the first press.
        await WaitUntilAsync(async () =>
        {
            await Task.Delay(500); // half a second between presses: SQLite has one writer, the dispatcher needs it
            await data.DbAsync(db => db.OutboxMessages.Where(o => o.State == OutboxState.Retrying)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.NextAttemptAtUtc, DateTime.UtcNow)));
            return (await data.OutboxAsync()).All(r => r.State == OutboxState.Sent);
        }, TimeSpan.FromSeconds(150), "every row Sent after the server came back", web);
        web.Kill();

        AssertDeliveredOnce(ids, smtp, allowedDuplicates: 1, "SMTP server stopped in the middle");
        await AssertJournalCleanAsync(data);
    }

    private static void AssertDeliveredOnce(IReadOnlyList<Guid> ids, SmtpServerFixture smtp, int allowedDuplicates, string what)
    {
        var received = FaultData.CountByMessageId(smtp.WaitForMessages(ids.Count));
        var missing = ids.Select(FaultData.MessageIdOf).Where(id => !received.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} email(s) never arrived ({what})");
        var twice = received.Where(kv => kv.Value > 1).ToList();
        Assert.True(twice.Sum(kv => kv.Value - 1) <= allowedDuplicates,
            $"{twice.Sum(kv => kv.Value - 1)} duplicate(s), at most {allowedDuplicates} allowed ({what}): {string.Join(", ", twice.Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.Equal(ids.Count, received.Count);
    }

    internal static async Task AssertJournalCleanAsync(FaultData data)
    {
        var (code, output) = await data.VerifyJournalAsync();
        Assert.True(code == 0, "verify-journal: " + output);
    }

    internal static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, WebProcess web, Task? starting = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what, web, starting);

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, WebProcess web, Task? starting = null)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (starting is { IsFaulted: true })
            {
                await starting; // the host did not start: say why
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                // The database is away for a moment (a restart): look again.
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.\n{web.Output}");
    }

    private static async Task IgnoreAsync(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            // The host was killed (or its database stopped) before it answered ready: expected here.
        }
    }
}

/// <summary>Fault tests start processes and clusters and measure what survives: one at a time, never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
