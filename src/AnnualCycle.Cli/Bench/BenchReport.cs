using System.Text.Json;
using System.Text.Json.Nodes;

namespace AnnualCycle.Cli.Bench;

/// <summary>One figure of a benchmark; <see cref="Passed"/> is null when it has no target.</summary>
public sealed record Measurement(string Id, string Label, double Value, string Unit, string? Target = null, bool? Passed = null);

/// <summary>What one benchmark measured.</summary>
public sealed record BenchResult(string Name, IReadOnlyList<Measurement> Measurements)
{
    public bool Passed => Measurements.All(m => m.Passed != false);
}

/// <summary>
/// A target measured against its reference in the same run: every such benchmark reports the measurements
/// <c>product</c>, <c>reference</c> and <c>ratio</c> (product / reference, for rates; the threshold is the ratio's
/// target), so reports and scripts read every comparison the same way.
/// </summary>
public static class Comparison
{
    /// <param name="unit">The unit of both figures (e.g. "/s").</param>
    /// <param name="product">The product's figure; higher is better.</param>
    /// <param name="reference">The reference's figure, measured in the same run.</param>
    /// <param name="threshold">The least ratio that passes (0.8 = 80 %).</param>
    /// <param name="referenceName">What the reference is, for the report.</param>
    public static IReadOnlyList<Measurement> Of(string unit, double product, double reference, double threshold, string referenceName)
    {
        var ratio = reference > 0 ? product / reference : 0;
        return
        [
            new("product", "product", product, unit),
            new("reference", "reference: " + referenceName, reference, unit),
            new("ratio", "product / reference", Math.Round(ratio, 3), "", $">= {threshold.ToString("0.###", CultureInfo.InvariantCulture)}", ratio >= threshold),
        ];
    }
}

/// <summary>Prints results as aligned tables or as one JSON document.</summary>
public static class BenchReport
{
    public static async Task WriteTableAsync(TextWriter output, string environment, IReadOnlyList<BenchResult> results)
    {
        await output.WriteLineAsync(environment);
        foreach (var result in results)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{result.Name}: {(result.Passed ? "PASS" : "FAIL")}");
            var rows = result.Measurements.Select(m => new[]
            {
                m.Label, Format(m.Value) + (m.Unit.Length > 0 ? " " + m.Unit : ""), m.Target ?? "", m.Passed switch { true => "PASS", false => "FAIL", null => "" },
            }).ToList();
            string[] header = ["measurement", "value", "target", "result"];
            var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
            string Line(string[] cells) => "  " + string.Join("  ", cells.Select((c, i) => i == 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
            await output.WriteLineAsync(Line(header));
            await output.WriteLineAsync(Line(widths.Select(w => new string('-', w)).ToArray()));
            foreach (var row in rows)
            {
                await output.WriteLineAsync(Line(row));
            }
        }
    }

    /// <summary><c>{"environment":…,"passed":…,"start-cycle":{"passed":…,"steps":{"value":…,"unit":…,"target":…,"passed":…},…},…}</c></summary>
    public static async Task WriteJsonAsync(TextWriter output, string environment, IReadOnlyList<BenchResult> results)
    {
        var root = new JsonObject
        {
            ["environment"] = environment,
            ["processors"] = Environment.ProcessorCount,
            ["passed"] = results.All(r => r.Passed),
        };
        foreach (var result in results)
        {
            var bench = new JsonObject { ["passed"] = result.Passed };
            foreach (var m in result.Measurements)
            {
                bench[m.Id] = new JsonObject
                {
                    ["label"] = m.Label,
                    ["value"] = double.IsFinite(m.Value) ? Math.Round(m.Value, 3) : null, // nothing measured (NaN): JSON has no NaN
                    ["unit"] = m.Unit,
                    ["target"] = m.Target,
                    ["passed"] = m.Passed,
                };
            }

            root[result.Name] = bench;
        }

        await output.WriteLineAsync(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("#,0", CultureInfo.InvariantCulture)
            : value.ToString("#,0.0##", CultureInfo.InvariantCulture);
}
