using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Definitions;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>validate [file or folder]</c>: one line per problem, <c>path:line:column: message</c>, then the verdict ("OK: …" or
/// "n problem(s).") on stdout; exit 0 when every file is valid, 1 otherwise. A single file is checked with the
/// organisations of its workflows folder.
/// </summary>
public static class ValidateVerb
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IConfiguration configuration, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count > 1)
        {
            throw new UsageException("validate takes one file or folder.");
        }

        var target = args.Count == 1 ? args[0] : DefinitionsServiceCollectionExtensions.WorkflowsFolder(configuration);
        string folder;
        string? onlyFile = null;
        if (Directory.Exists(target))
        {
            folder = target;
        }
        else if (File.Exists(target))
        {
            onlyFile = target;
            folder = Path.GetDirectoryName(target) is { Length: > 0 } dir ? dir : ".";
            if (string.Equals(Path.GetFileName(Path.GetFullPath(folder)), WorkflowCatalog.OrganisationsFolder, StringComparison.Ordinal))
            {
                folder = Path.Combine(folder, "..");
            }
        }
        else
        {
            await stdout.WriteLineAsync($"{target}: no such file or folder");
            return 1;
        }

        await using var provider = CliHost.Build(configuration);
        var catalog = WorkflowCatalog.Load(folder, provider.GetRequiredService<StockholmTime>());
        var problems = catalog.ProblemDetails
            .Where(p => onlyFile is null || SameFile(p.File, onlyFile))
            .ToList();
        foreach (var problem in problems)
        {
            // Print the file as the user named it (not folder/../file) so editors can jump to the line.
            await stdout.WriteLineAsync((onlyFile is null ? problem : problem with { File = onlyFile }).ToString());
        }

        // The result goes to stdout with the problems, so a script or CI log that keeps stdout sees the verdict.
        if (problems.Count == 0)
        {
            var what = onlyFile ?? $"{catalog.Definitions.Count} workflow version(s) of {catalog.Workflows.Count} workflow(s), {catalog.Organisations.Count} organisation(s) in {target}";
            await stdout.WriteLineAsync($"OK: {what}");
            return 0;
        }

        await stdout.WriteLineAsync($"{problems.Count} problem(s).");
        return 1;
    }

    private static bool SameFile(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}
