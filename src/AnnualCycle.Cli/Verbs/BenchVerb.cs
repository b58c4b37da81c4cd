using AnnualCycle.Cli.Bench;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>bench [start-cycle|email|timers|wakeup|dashboard|all] [--steps n] [--messages n] [--rounds n] [--smtp host:port] [--postgres cs]
/// [--workflow id] [--pending n] [--spread-seconds n] [--organisations n] [--rate n] [--seconds n] [--warm-up-seconds n] [--web-dll path] [--json]
/// [--use-configured-database]</c>: measures starting a large cycle and the email fan-out
/// (against a bare MailKit loop to the same SMTP server in the same run; without <c>--smtp</c>, to a fast built-in
/// sink), against a throwaway SQLite database unless told otherwise, and prints each figure with its target.
/// Exit 0 when every target is met, 1 when one is missed, 2 for bad arguments.
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
            1 when positional[0] is "start-cycle" or "dashboard" or "all" => positional[0],
            1 when positional[0] is "email" or "dispatch" => "email", // "dispatch": its earlier name
            1 when positional[0] is "timers" or "wakeup" => positional[0], // TimerBenchmarks (issue 13's timer targets)
            _ => throw new UsageException($"bench takes one of start-cycle, email, timers, wakeup, dashboard or all, not '{string.Join(' ', positional)}'."),
        };
        var steps = Positive(switches, "steps", 1000);
        var messages = Positive(switches, "messages", 100_000);
        var rounds = Positive(switches, "rounds", 3);
        var workflow = Switch(switches, "workflow") ?? DefaultWorkflow;
        var dashboard = new DashboardBench.Options(Positive(switches, "organisations", 300), Positive(switches, "rate", 50), Positive(switches, "seconds", 30), Switch(switches, "web-dll"), Positive(switches, "warm-up-seconds", 15));
        var smtp = Switch(switches, "smtp");
        var postgres = Switch(switches, "postgres");
        if (smtp is not null)
        {
            SmtpSwitch.Apply(smtp, new Dictionary<string, string?>()); // refuse a bad --smtp before anything is made
        }

        // Without --smtp the email target sends to a sink in this process that accepts and discards: it measures the
        // sender, not a server (aiosmtpd's ~450/s would be the limit of both sides).
        await using var sink = smtp is null && which is "email" or "all" ? new SmtpSink() : null;
        smtp ??= sink?.Address;

        // Two years ahead: every open time and reminder is in the future, as when a cycle is started on time.
        var year = TimeProvider.System.GetUtcNow().Year + 2;
        var useConfigured = flags.Contains("use-configured-database");
        var results = new List<BenchResult>();
        var descriptions = new List<string>();
        // The start target on each database of the run: the throwaway SQLite file (or the configured database), and the
        // PostgreSQL database of --postgres beside it. The email target runs on the last of them.
        var databases = new List<string?>();
        if (postgres is null || !useConfigured)
        {
            databases.Add(null);
        }

        if (postgres is not null)
        {
            databases.Add(postgres);
        }

        // Each target on PostgreSQL gets a database of its own on that server (a target leaves what it made, and the next
        // refuses a database that holds cycles).
        async Task<ScratchDatabase?> ScratchAsync(string? server, string target) =>
            server is null ? null : await ScratchDatabase.CreateAsync(server, target, ct);

        for (var i = 0; i < databases.Count && which is "start-cycle" or "email" or "all"; i++)
        {
            await using var scratch = await ScratchAsync(databases[i], "cycle");
            await using var env = await BenchEnvironment.CreateAsync(configuration, useConfigured && databases[i] is null, smtp, ct, scratch?.ConnectionString);
            descriptions.Add(env.Description);
            if (which is "start-cycle" or "all")
            {
                var db = env.IsPostgreSql ? "postgresql" : "sqlite";
                var small = await Benchmarks.StartCycleAsync(env, $"start-cycle-{db}", workflow, year, steps, rounds, warmUp: true, ct);
                var large = await Benchmarks.StartCycleAsync(env, $"start-cycle-{db}-10x", workflow, year, steps * 10, Math.Max(1, rounds / 2), warmUp: false, ct);
                results.Add(small);
                results.Add(Benchmarks.WithLinearity(large, small));
            }

            if (which is "email" or "all" && i == databases.Count - 1)
            {
                results.Add(await Benchmarks.EmailAsync(env, workflow, year, messages, Math.Min(rounds, messages), smtp!, sink, dashboard.WarmUpSeconds, ct));
            }
        }

        if (which is "wakeup" or "all")
        {
            // A database of its own: the target empties the timers table around its own.
            await using var scratch = await ScratchAsync(postgres, "wakeup");
            await using var env = await BenchEnvironment.CreateAsync(configuration, useConfigured && postgres is null, smtp, ct, scratch?.ConnectionString);
            results.Add(await TimerBenchmarks.WakeupAsync(env, workflow, year, Positive(switches, "pending", 100_000), ct));
            descriptions.Add("wake-up: " + env.Description);
        }

        if (which is "timers" or "all")
        {
            // Its own host (the service's composition with its Hangfire server), on a throwaway database or --postgres.
            await using var scratch = await ScratchAsync(postgres, "timers");
            results.AddRange(await TimerBenchmarks.LatenessAsync(configuration, scratch?.ConnectionString, workflow, year, Positive(switches, "spread-seconds", 60), ct));
            descriptions.Add(postgres is null ? "timers: throwaway SQLite database" : "timers: PostgreSQL " + postgres.Split(';').FirstOrDefault(p => p.StartsWith("Host", StringComparison.OrdinalIgnoreCase)));
        }

        if (which is "dashboard" or "all")
        {
            // Always a throwaway SQLite file: the seeding starts a cycle in every organisation.
            results.Add(await DashboardBench.RunAsync(configuration, dashboard, null, year, ct));
            descriptions.Add("dashboard: the web host as a child process on a throwaway SQLite file");
        }

        var description = string.Join(" | ", descriptions) + $"; {Environment.ProcessorCount} cores";
        if (flags.Contains("json"))
        {
            await BenchReport.WriteJsonAsync(stdout, description, results);
        }
        else
        {
            await BenchReport.WriteTableAsync(stdout, description, results);
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
