using AnnualCycle.Cli.Simulation;
using AnnualCycle.Runtime.Demo;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>simulate --year n [--years k] [--organisation id] [--workflow id] [--from date] [--until date] [--leave-undone body[,body]]
/// [--smtp host:port] [--json]</c>: runs a cycle compressed into seconds on a throwaway SQLite database with the demo
/// users, so a tester can read every email as the nämnd's people would receive it; with <c>--years k</c> the k cycles up to
/// year n, each started a year after the one before, and the lead times compared year over year. Exit 0, 2 for bad arguments.
/// </summary>
public static class SimulateVerb
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> positional, IReadOnlySet<string> flags, IReadOnlyList<KeyValuePair<string, string?>> switches,
        IConfiguration configuration, TextWriter stdout, CancellationToken ct = default)
    {
        if (positional.Count > 0)
        {
            throw new UsageException($"simulate takes no positional arguments, not '{string.Join(' ', positional)}'.");
        }

        var organisation = Switch(switches, "organisation") ?? DemoUsers.OrganisationId;
        if (!string.Equals(organisation, DemoUsers.OrganisationId, StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"simulate runs with the demo users, who all belong to {DemoUsers.OrganisationId}; not '{organisation}'.");
        }

        var workflow = Switch(switches, "workflow") ?? DemoUsers.OrganisationId;
        var yearText = Switch(switches, "year") ?? throw new UsageException("simulate needs --year.");
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
        {
            throw new UsageException($"--year wants a year between 2000 and 2100, not '{yearText}'.");
        }

        var yearsText = Switch(switches, "years") ?? "1";
        if (!int.TryParse(yearsText, NumberStyles.None, CultureInfo.InvariantCulture, out var years) || years is < 1 or > 5)
        {
            throw new UsageException($"--years wants a number of cycles from 1 to 5, not '{yearsText}'.");
        }

        // Local days (the configured zone): --from at its first moment (the first cycle's start), --until at its last.
        var fromDate = Date(switches, "from") ?? new DateOnly(year - years, 1, 1);
        var untilDate = Date(switches, "until") ?? new DateOnly(year, 12, 31);
        if (untilDate < fromDate)
        {
            throw new UsageException("--until must be after --from.");
        }

        var leaveUndone = (Switch(switches, "leave-undone") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        await using var env = await SimulationEnvironment.CreateAsync(configuration, Switch(switches, "smtp"), zone => zone.ToInstant(fromDate, TimeOnly.MinValue), ct);
        var request = new SimulationRequest(DemoUsers.OrganisationId, workflow, year,
            env.Zone.ToInstant(fromDate, TimeOnly.MinValue), env.Zone.ToInstant(untilDate, TimeOnly.MaxValue), leaveUndone, years);
        var result = await new CycleSimulator(env).RunAsync(request, ct);
        if (flags.Contains("json"))
        {
            await SimulationReport.WriteJsonAsync(stdout, request, env, result);
        }
        else
        {
            await SimulationReport.WriteTextAsync(stdout, request, env, result);
        }

        return 0;
    }

    private static string? Switch(IReadOnlyList<KeyValuePair<string, string?>> switches, string name) =>
        switches.LastOrDefault(s => string.Equals(s.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static DateOnly? Date(IReadOnlyList<KeyValuePair<string, string?>> switches, string name)
    {
        var text = Switch(switches, name);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"--{name} wants a date as yyyy-MM-dd, not '{text}'.");
    }
}
