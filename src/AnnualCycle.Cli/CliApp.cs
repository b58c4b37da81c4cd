using AnnualCycle.Cli.Verbs;

namespace AnnualCycle.Cli;

/// <summary>
/// The command line: <c>validate</c>, <c>preview</c>, <c>verify-journal</c>, <c>send-test-email</c>, <c>bench</c>, <c>simulate</c>,
/// <c>grant-system-admin</c>, <c>revoke-system-admin</c>, <c>list-system-admins</c>. Exit codes:
/// 0 success, 1 the verb found problems, 2 usage error.
/// </summary>
public static class CliApp
{
    public const string Usage = """
        Usage: AnnualCycle.Cli <verb> [arguments] [--Key value ...]

          validate [<file or folder>]                 check workflow definitions and organisations
                                                      (default: the workflows folder); exit 1 on problems
          preview <workflow id> --year <n> [--json]   print the resolved steps of a cycle in date order, with the
                [--version <v>]                       definition version for that budget year (or the one named)
          verify-journal                              check the journal's hash chain in the configured
                                                      database; exit 1 naming the first broken entry, or
                                                      when there is no database (nothing is created)
          send-test-email --to <address>              send one email with the configured SMTP settings (or
                                                      to the pick-up folder); exit 1 when not accepted
          bench [start-cycle|dispatch|all]            measure starting a cycle and sending the outbox against
                [--steps 1000] [--messages 2000]      a throwaway SQLite database (or, with
                [--smtp host:port] [--json]           --use-configured-database, a configured database made
                [--use-configured-database]           for benchmarking); exit 1 when a target is missed
          bench timers [--postgres cs]                timer lateness (200 over a minute, 1,000 in a second) with
                [--spread-seconds 60]                 the service's Hangfire server, beside Task.Delay
          bench wakeup [--pending 100000]             a wake-up's cost with 100,000 pending timers vs 1,000
          simulate --year <n> [--workflow id]         run a cycle compressed into seconds on a throwaway SQLite
                [--organisation id] [--from date]     database with the demo users, who do each step on its due
                [--until date] [--leave-undone body]  day (except the bodies left undone); send every email to
                [--smtp host:port] [--json]           --smtp, the configured server or a pick-up folder; print
                                                      the timeline and the emails per kind and recipient
          grant-system-admin --email <address>        make an existing user system administrator of every
                                                      organisation (only here: never through the API or UI)
          revoke-system-admin --email <address>       take it back
          list-system-admins                          print the system administrators' emails

        Configuration: appsettings.json at the repository root, environment variables, then --Key value
        switches (e.g. --Workflows:Folder path).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var (positional, flags, switches) = CommandLine.Parse(args);
        if (positional.Count == 0)
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        var configuration = RepositoryConfiguration.BuildForTool(switches);
        var verb = positional[0];
        var rest = positional.Skip(1).ToList();
        try
        {
            return verb switch
            {
                "validate" => await ValidateVerb.RunAsync(rest, configuration, stdout, stderr),
                "preview" => await PreviewVerb.RunAsync(rest, flags, switches, configuration, stdout, stderr),
                "verify-journal" => await VerifyJournalVerb.RunAsync(configuration, stdout, stderr),
                "send-test-email" => await SendTestEmailVerb.RunAsync(switches, configuration, stdout, stderr),
                "bench" => await BenchVerb.RunAsync(rest, flags, switches, configuration, stdout),
                "simulate" => await SimulateVerb.RunAsync(rest, flags, switches, configuration, stdout),
                "grant-system-admin" or "revoke-system-admin" or "list-system-admins" => await SystemAdminVerb.RunAsync(verb, switches, configuration, stdout, stderr),
                _ => await UnknownVerb(verb, stderr),
            };
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }
    }

    private static async Task<int> UnknownVerb(string verb, TextWriter stderr)
    {
        await stderr.WriteLineAsync($"Unknown verb '{verb}'.");
        await stderr.WriteLineAsync(Usage);
        return 2;
    }
}

/// <summary>Bad arguments: printed with the usage text, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Splits arguments into positional words, bare flags (<c>--json</c>) and <c>--Key value</c> switches. A switch
/// whose next word starts with <c>--</c> (or that is last) is a flag.
/// </summary>
public static class CommandLine
{
    private static readonly HashSet<string> KnownFlags = new(StringComparer.OrdinalIgnoreCase) { "json", "use-configured-database" };

    public static (List<string> Positional, HashSet<string> Flags, List<KeyValuePair<string, string?>> Switches) Parse(string[] args)
    {
        var positional = new List<string>();
        var flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var switches = new List<KeyValuePair<string, string?>>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                positional.Add(arg);
                continue;
            }

            var name = arg[2..];
            var eq = name.IndexOf('=');
            if (eq > 0)
            {
                switches.Add(new(name[..eq], name[(eq + 1)..]));
            }
            else if (KnownFlags.Contains(name) || i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                flags.Add(name);
            }
            else
            {
                switches.Add(new(name, args[++i]));
            }
        }

        return (positional, flags, switches);
    }
}
