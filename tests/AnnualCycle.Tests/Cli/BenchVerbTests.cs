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
    public async Task BenchAll_ReportsTheStepsTimersJobsWithinTheHorizon_AndEveryMessageSentInOneBatch()
    {
        var (code, stdout, stderr) = await Run(["bench", "all", "--steps", "50", "--messages", "20", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}"); // 1 would only mean a speed target was missed on a busy machine
        using var json = JsonDocument.Parse(stdout);
        var start = json.RootElement.GetProperty("start-cycle");
        Assert.Equal(50, Value(start, "steps"));
        var timers = Value(start, "timers");
        var jobs = Value(start, "jobs");
        Assert.True(timers > 50, $"{timers} timers");
        Assert.InRange(jobs, 1, TimerScheduler.Horizon);
        Assert.True(jobs < timers, $"{jobs} jobs for {timers} timers: one per timer");
        Assert.True(start.GetProperty("steps").GetProperty("passed").GetBoolean());
        Assert.True(start.GetProperty("jobs").GetProperty("passed").GetBoolean());

        var dispatch = json.RootElement.GetProperty("dispatch");
        Assert.Equal(20, Value(dispatch, "messages"));
        Assert.Equal(20, Value(dispatch, "sent"));
        Assert.Equal(1, Value(dispatch, "sessions"));
        Assert.False(dispatch.TryGetProperty("smtpConnections", out _)); // the pick-up folder by default
        Assert.Contains("throwaway SQLite", json.RootElement.GetProperty("environment").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchDispatch_ToARealSmtpServer_SendsEveryMessage_OverOneConnectionForTheRun()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        const int messages = OutboxDispatcher.BatchSize + 50;
        var (code, stdout, stderr) = await Run(["bench", "dispatch", "--messages", messages.ToString(CultureInfo.InvariantCulture), "--smtp", $"{server.Host}:{server.Port}", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var dispatch = json.RootElement.GetProperty("dispatch");
        Assert.Equal(messages, Value(dispatch, "sent"));
        Assert.Equal(1, Value(dispatch, "smtpConnections")); // one connection kept across the batches
        Assert.Equal(messages, server.WaitForMessages(messages).Count);
        Assert.Equal(1, server.ConnectionCount);
        Assert.False(json.RootElement.TryGetProperty("start-cycle", out _));
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
