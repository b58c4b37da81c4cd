using System.Globalization;
using AnnualCycle.Cli.Bench;
using Microsoft.Extensions.Configuration;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>bench [start-cycle|dispatch|all] [--steps n] [--messages n] [--smtp host:port] [--workflow id] [--json]
/// [--use-configured-database]</c>: measures starting a large cycle and sending the outbox, against a throwaway
/// SQLite database unless told otherwise, and prints each figure with its target. Exit 0 when every target is met,
/// 1 when one is missed, 2 for bad arguments.
/// </summary>
public static class BenchVerb
{
    public const string DefaultWorkflow = "region-vasterbotten";

    public static async Task<int> RunAsync(
        IReadOnlyList<string> positional, IReadOnlySet<string> flags, IReadOnlyList<KeyValuePair<string, string?>> switches,
        IConfiguration configuration, TextWriter stdout, CancellationToken ct = default)
    {
        var which = positional.Count switch
        {
            0 => "all",
            1 when positional[0] is "start-cycle" or "dispatch" or "all" => positional[0],
            _ => throw new UsageException($"bench takes one of start-cycle, dispatch or all, not '{string.Join(' ', positional)}'."),
        };
        var steps = Positive(switches, "steps", 1000);
        var messages = Positive(switches, "messages", 2000);
        var workflow = Switch(switches, "workflow") ?? DefaultWorkflow;
        var smtp = Switch(switches, "smtp");

        // Two years ahead: every open time and reminder is in the future, as when a cycle is started on time.
        var year = TimeProvider.System.GetUtcNow().Year + 2;
        await using var env = await BenchEnvironment.CreateAsync(configuration, flags.Contains("use-configured-database"), smtp, ct);
        var results = new List<BenchResult>();
        if (which is "start-cycle" or "all")
        {
            results.Add(await Benchmarks.StartCycleAsync(env, workflow, year, steps, ct));
        }

        if (which is "dispatch" or "all")
        {
            results.Add(await Benchmarks.DispatchAsync(env, workflow, year, messages, ct));
        }

        if (flags.Contains("json"))
        {
            await BenchReport.WriteJsonAsync(stdout, env.Description, results);
        }
        else
        {
            await BenchReport.WriteTableAsync(stdout, env.Description, results);
        }

        return results.All(r => r.Passed) ? 0 : 1;
    }

    private static string? Switch(IReadOnlyList<KeyValuePair<string, string?>> switches, string name) =>
        switches.LastOrDefault(s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static int Positive(IReadOnlyList<KeyValuePair<string, string?>> switches, string name, int fallback)
    {
        var text = Switch(switches, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new UsageException($"--{name} wants a positive whole number, not '{text}'.");
    }
}
