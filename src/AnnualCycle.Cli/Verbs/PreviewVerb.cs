using System.Text.Encodings.Web;
using System.Text.Json;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Definitions;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>preview &lt;workflow id&gt; --year &lt;n&gt; [--version &lt;v&gt;] [--json]</c>: the resolved step instances of one cycle in
/// date order, as a table (local time in the configured zone) or as one JSON object. The year picks the definition version that
/// applies to it unless <c>--version</c> names one (as a running cycle keeps its own).
/// </summary>
public static class PreviewVerb
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        IReadOnlySet<string> flags,
        IReadOnlyList<KeyValuePair<string, string?>> switches,
        IConfiguration configuration,
        TextWriter stdout,
        TextWriter stderr)
    {
        if (args.Count != 1)
        {
            throw new UsageException("preview takes one workflow id.");
        }

        var yearText = switches.LastOrDefault(s => string.Equals(s.Key, "year", StringComparison.OrdinalIgnoreCase)).Value;
        if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2100)
        {
            throw new UsageException($"preview needs --year <n> (a budget year 2000–2100){(yearText is null ? string.Empty : $", not '{yearText}'")}.");
        }

        var versionText = switches.LastOrDefault(s => string.Equals(s.Key, "version", StringComparison.OrdinalIgnoreCase)).Value;
        int? version = null;
        if (versionText is not null)
        {
            version = int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new UsageException($"--version takes a definition version (a positive whole number), not '{versionText}'.");
        }

        await using var provider = CliHost.Build(configuration);
        var catalog = provider.GetRequiredService<WorkflowCatalog>();
        var zone = provider.GetRequiredService<StockholmTime>();
        var definition = catalog.FindDefinition(args[0]);
        if (definition is null)
        {
            await stderr.WriteLineAsync($"No valid workflow definition '{args[0]}'. Loaded: {string.Join(", ", catalog.Workflows.Select(w => w.Id))}.");
            foreach (var problem in catalog.Problems)
            {
                await stderr.WriteLineAsync(problem);
            }

            return 1;
        }

        CyclePlanView view;
        try
        {
            view = CyclePlanView.From(new CyclePlanner(catalog, zone).Plan(definition.Id, year, version: version), zone);
        }
        catch (Exception ex) when (ex is PlanningException or KeyNotFoundException)
        {
            var years = catalog.PlannableYearsOf(definition.Id);
            var versions = string.Join(", ", catalog.VersionsOf(definition.Id).Select(d => d.VersionLabel));
            await stderr.WriteLineAsync($"Cannot plan {definition.Id} for {year}: {ex.Message}. Plannable years: {(years.Count == 0 ? "none" : $"{years[0]}–{years[^1]}")}; versions: {versions}.");
            return 1;
        }

        if (flags.Contains("json"))
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(view, Json));
        }
        else
        {
            await WriteTable(view, zone, stdout);
        }

        return 0;
    }

    private static async Task WriteTable(CyclePlanView view, StockholmTime zone, TextWriter w)
    {
        var applies = view.AppliesTo is null ? string.Empty : $" (gäller budgetår {view.AppliesTo})";
        await w.WriteLineAsync($"{view.Workflow} v{view.Version}{applies} – cykel {view.Year} ({view.Organisation}), tider i {zone.Zone.Id}");
        if (view.Election is { } e)
        {
            await w.WriteLineAsync(
                $"Valår {e.Year}: allmänna val {e.ElectionDay}, nyvalda fullmäktige från {e.NewAssemblyFrom}. "
                + (e.Handling is null ? "Definitionen har ingen särskild hantering av valår." : $"Valårshantering: {e.Handling} ({e.Source})"));
            if (e.Steps.Count > 0)
            {
                await w.WriteLineAsync($"Steg för valåret (* i tabellen): {string.Join(", ", e.Steps)}");
            }
        }

        await w.WriteLineAsync();
        var rows = view.Steps.Select(s => new[]
        {
            Short(s.Opens), Short(s.Due) + (s.Statutory ? " §" : string.Empty), s.Key + (s.Variant is null ? string.Empty : " *"),
            s.Title + (s.PeriodEnd is null ? string.Empty : $" (t.o.m. {s.PeriodEnd})"),
            s.Body + (s.PerformedBy == s.Body ? string.Empty : $" via {s.PerformedBy}") + (s.Role is null ? string.Empty : $" ({s.Role})"),
            string.Join(" → ", s.Approvals.Select(a => $"{a.Body}:{a.Role}")),
        }).ToList();
        string[] header = ["Öppnar", "Senast", "Nyckel", "Steg", "Utförs av", "Godkänns av"];
        var widths = header.Select((h, i) => Math.Min(60, rows.Select(r => r[i].Length).Append(h.Length).Max())).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i]))).TrimEnd();
        await w.WriteLineAsync(Line(header));
        await w.WriteLineAsync(Line(widths.Select(n => new string('-', n)).ToArray()));
        foreach (var row in rows)
        {
            await w.WriteLineAsync(Line(row));
        }

        await w.WriteLineAsync();
        await w.WriteLineAsync("§ = lagstadgad tidsfrist (planeras på eller före lagens dag; en frist som faller på en ledig dag läggs dagen före)");
        if (view.Warnings.Count == 0)
        {
            await w.WriteLineAsync("Inga varningar mot lagens tidsfrister.");
            return;
        }

        await w.WriteLineAsync($"Varningar ({view.Warnings.Count}):");
        foreach (var warning in view.Warnings)
        {
            await w.WriteLineAsync($"  ! [{warning.Rule}] {warning.StepKey}: {warning.Message} ({warning.Source})");
        }
    }

    /// <summary>"2027-11-24T23:59:00+01:00" → "2027-11-24 23:59".</summary>
    private static string Short(string iso) => iso[..10] + " " + iso[11..16];
}
