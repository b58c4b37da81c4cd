using System.Globalization;
using System.Text.Json;
using AnnualCycle.Cli;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Cli;

/// <summary>
/// <c>bench</c> with small sizes: the counts it reports (steps, timers, Hangfire jobs within the horizon, messages sent,
/// batches, SMTP connections). Never its timings: speed is the benchmark's to report, not a test's to assert.
/// </summary>
public sealed class BenchVerbTests
{
    [Fact]
    public async Task BenchAll_ReportsTheStepsTimersJobsWithinTheHorizon_AndTheEmailFanOutBesideItsReference()
    {
        var (code, stdout, stderr) = await Run(["bench", "all", "--steps", "50", "--messages", "20", "--rounds", "2", "--organisations", "2", "--rate", "5", "--seconds", "1", "--warm-up-seconds", "1", "--pending", "2000", "--spread-seconds", "3", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}"); // 1 would only mean a speed target was missed on a busy machine
        using var json = JsonDocument.Parse(stdout);
        var start = json.RootElement.GetProperty("start-cycle-sqlite");
        Assert.Equal(50, Value(start, "steps"));
        var timers = Value(start, "timers");
        var jobs = Value(start, "jobs");
        Assert.True(timers > 50, $"{timers} timers");
        // One wake-up job per distinct second across all cycles (TimerWakeups): the warm-up start scheduled the plan's
        // first seconds, so a measured start of the same plan may find them all scheduled already and add none.
        Assert.InRange(jobs, 0, TimerScheduler.Horizon);
        Assert.True(jobs < timers, $"{jobs} jobs for {timers} timers: one per timer");
        Assert.True(start.GetProperty("steps").GetProperty("passed").GetBoolean());
        Assert.True(start.GetProperty("jobs").GetProperty("passed").GetBoolean());
        // Beside its reference in the same run: the same rows (cycle, steps, approvals, timers, journal) written raw.
        Assert.True(Value(start, "rows") > 50 + timers, $"{Value(start, "rows")} rows");
        Assert.True(start.GetProperty("product").GetProperty("value").GetDouble() > 0);
        Assert.True(start.GetProperty("reference").GetProperty("value").GetDouble() > 0);
        Assert.Equal(">= 0.5", start.GetProperty("ratio").GetProperty("target").GetString());
        Assert.True(start.GetProperty("ratio").TryGetProperty("passed", out _));
        var large = json.RootElement.GetProperty("start-cycle-sqlite-10x");
        Assert.Equal(500, Value(large, "steps"));
        Assert.True(large.GetProperty("linearity").TryGetProperty("passed", out _));

        var email = json.RootElement.GetProperty("email");
        Assert.Equal(20, Value(email, "messages"));
        Assert.Equal(20, Value(email, "sent"));
        // The built-in sink: each side's 20, and before them each side's warm-up rounds of 10 (a round's size, at most), not counted.
        var warmUpRounds = Value(email, "warmUpRounds");
        Assert.True(warmUpRounds >= 1, $"{warmUpRounds} warm-up rounds");
        Assert.Equal(10 * warmUpRounds, Value(email, "warmUpMessages"));
        Assert.Equal(2 * (20 + Value(email, "warmUpMessages")), Value(email, "received"));
        Assert.Equal(2 + warmUpRounds, Value(email, "smtpConnections")); // one per round, the warm-up's too: each round is one outbox run
        Assert.True(Value(email, "product") > 0);
        Assert.True(Value(email, "reference") > 0);
        Assert.True(email.GetProperty("ratio").TryGetProperty("passed", out _));
        Assert.Contains("throwaway SQLite", json.RootElement.GetProperty("environment").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Value(json.RootElement.GetProperty("dashboard"), "errors"));
        Assert.True(json.RootElement.TryGetProperty("timer-wakeup", out _));
        Assert.True(json.RootElement.TryGetProperty("timer-lateness-burst", out _));
    }

    [Fact]
    public async Task BenchDashboard_ServesTheDashboardsOfTheRealWebHost_AndMeasuresItsPeakMemory()
    {
        var (code, stdout, stderr) = await Run(["bench", "dashboard", "--organisations", "3", "--rate", "10", "--seconds", "2", "--warm-up-seconds", "1", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}\n{stdout}");
        using var json = JsonDocument.Parse(stdout);
        var dashboard = json.RootElement.GetProperty("dashboard");
        Assert.Equal(3, Value(dashboard, "organisations"));
        Assert.Equal(10, Value(dashboard, "warmUpRequests")); // the same load for a second first, not measured
        Assert.Equal(20, Value(dashboard, "requests")); // every one answered 200: signed in, each cycle visible
        Assert.Equal(0, Value(dashboard, "errors"));
        Assert.True(dashboard.GetProperty("p95").GetProperty("value").GetDouble() > 0);
        Assert.InRange(Value(dashboard, "peakRssMegabytes"), 20, 4000); // the child host's VmHWM, not this process's
        Assert.Equal("<= 400 MB", dashboard.GetProperty("peakRssMegabytes").GetProperty("target").GetString());
        Assert.False(json.RootElement.TryGetProperty("start-cycle-sqlite", out _));
    }

    [Fact]
    public async Task BenchEmail_ToARealSmtpServer_SendsEveryRow_OverOneConnection_BesideTheReference()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        const int messages = OutboxDispatcher.BatchSize + 50;
        var (code, stdout, stderr) = await Run(["bench", "email", "--messages", messages.ToString(CultureInfo.InvariantCulture), "--rounds", "1", "--smtp", $"{server.Host}:{server.Port}", "--warm-up-seconds", "1", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var email = json.RootElement.GetProperty("email");
        Assert.Equal(messages, Value(email, "sent"));
        // Each run keeps one connection across its two batches: each warm-up run's (a round's size here, not counted) and the measured run's.
        var runs = 1 + (int)Value(email, "warmUpRounds");
        Assert.Equal(runs, Value(email, "smtpConnections"));
        Assert.Equal(2 * runs * messages, server.WaitForMessages(2 * runs * messages).Count);
        Assert.Equal(2 * runs, server.ConnectionCount); // each side's one per run
        Assert.False(json.RootElement.TryGetProperty("start-cycle-sqlite", out _));
    }

    [Fact]
    public async Task BenchStartCycle_OnPostgreSql_WritesTheSameRowsBesideABinaryCopy_AndLeavesNoCycleBehind()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("bench");
        var (code, stdout, stderr) = await Run(["bench", "start-cycle", "--steps", "40", "--rounds", "2", "--postgres", connectionString, "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var start = json.RootElement.GetProperty("start-cycle-postgresql");
        Assert.Equal(40, Value(start, "steps"));
        Assert.Contains("binary COPY", start.GetProperty("reference").GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.True(Value(start, "rows") > 40);
        Assert.True(start.GetProperty("reference").GetProperty("value").GetDouble() > 0);
        Assert.True(json.RootElement.TryGetProperty("start-cycle-sqlite", out _)); // both databases in one run
        Assert.False(json.RootElement.TryGetProperty("email", out _));

        await using var data = new Npgsql.NpgsqlConnection(connectionString);
        await data.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT (SELECT count(*) FROM \"Cycles\") + (SELECT count(*) FROM \"StepInstances\") + (SELECT count(*) FROM \"Timers\")", data);
        Assert.Equal(0L, await count.ExecuteScalarAsync()); // every round's rows deleted again, the product's and the reference's
    }

    [Fact]
    public async Task Bench_WithABadSizeOrWhat_Exits2()
    {
        Assert.Equal(2, (await Run(["bench", "all", "--steps", "0"])).Code);
        Assert.Equal(2, (await Run(["bench", "everything"])).Code);
        Assert.Equal(2, (await Run(["bench", "dispatch", "--smtp", "localhost"])).Code);
    }

    private static long Value(JsonElement bench, string id) => (long)bench.GetProperty(id).GetProperty("value").GetDouble();

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
