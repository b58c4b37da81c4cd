using System.Text.Json;
using AnnualCycle.Cli;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Cli;

/// <summary>
/// <c>bench timers</c> and <c>bench wakeup</c> with small sizes: that every timer fires and none early, and that each
/// target is reported with its product, its reference and a PASS/FAIL. Never the timings themselves.
/// </summary>
[Collection(HostCollection.Name)] // starts a Hangfire server (process-wide state)
public sealed class TimerBenchVerbTests
{
    [Fact]
    public async Task BenchTimers_FiresEveryTimer_NeverEarly_AndReportsP99BesideTaskDelay()
    {
        var (code, stdout, stderr) = await RunAsync(["bench", "timers", "--spread-seconds", "3", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}\n{stdout}"); // 1: a speed target missed on a busy machine
        using var json = JsonDocument.Parse(stdout);
        foreach (var (name, count) in new[] { ("timer-lateness-spread", 200), ("timer-lateness-burst", 1000) })
        {
            var result = json.RootElement.GetProperty(name);
            Assert.Equal(count, Value(result, "fired"));
            Assert.Equal(0, Value(result, "early"));
            Assert.True(result.GetProperty("p99").TryGetProperty("passed", out var passed) && passed.ValueKind is JsonValueKind.True or JsonValueKind.False);
            Assert.True(Value(result, "reference") >= 0);
            Assert.True(result.TryGetProperty("product", out _));
        }
    }

    [Fact]
    public async Task BenchWakeup_ComparesTheCostWithManyPendingTimers_ToTheCostWithFew()
    {
        var (code, stdout, stderr) = await RunAsync(["bench", "wakeup", "--pending", "5000", "--json"]);

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}\n{stdout}");
        using var json = JsonDocument.Parse(stdout);
        var result = json.RootElement.GetProperty("timer-wakeup");
        Assert.Equal(1000, Value(result, "pendingSmall"));
        Assert.Equal(5000, Value(result, "pendingLarge"));
        Assert.True(Value(result, "product") > 0);
        Assert.True(Value(result, "reference") > 0);
        Assert.True(result.GetProperty("ratio").TryGetProperty("passed", out _));
    }

    private static double Value(JsonElement bench, string id) => bench.GetProperty(id).GetProperty("value").GetDouble();

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
