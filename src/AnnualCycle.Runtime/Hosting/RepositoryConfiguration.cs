using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AnnualCycle.Runtime.Hosting;

/// <summary>
/// The service's base configuration is <c>appsettings.json</c> at the repository root (or next to the
/// published binaries), below environment variables and command-line arguments. The host and the CLI
/// both read it this way, so they find the same database.
/// </summary>
public static class RepositoryConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>
    /// The folder holding <c>appsettings.json</c> and <c>workflows/</c>: the working directory or one of
    /// its parents, else the folder of the binaries (a published image), else the working directory.
    /// </summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, FileName)) && Directory.Exists(Path.Combine(dir.FullName, "workflows")))
                {
                    return dir.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// Inserts the root <c>appsettings.json</c> (and <c>appsettings.{environment}.json</c> beside it) just
    /// below the first un-prefixed environment-variable source, so environment variables and the command
    /// line still override it.
    /// </summary>
    public static void AddRepositorySettings(IConfigurationBuilder builder, string root, string? environment)
    {
        var sources = builder.Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource env && string.IsNullOrEmpty(env.Prefix));
        if (index < 0)
        {
            index = sources.Count;
        }

        var provider = new PhysicalFileProvider(root);
        var files = new List<string> { FileName };
        if (!string.IsNullOrEmpty(environment))
        {
            files.Add($"appsettings.{environment}.json");
        }

        foreach (var file in files)
        {
            var source = new JsonConfigurationSource { FileProvider = provider, Path = file, Optional = true, ReloadOnChange = false };
            source.ResolveFileProvider();
            sources.Insert(index++, source);
        }

        builder.Properties["AnnualCycle:Root"] = root;
    }

    /// <summary>Configuration for command-line tools: root settings, environment variables, then <c>--Key value</c> arguments.</summary>
    public static IConfigurationRoot BuildForTool(IEnumerable<KeyValuePair<string, string?>> switches)
    {
        var root = FindRoot();
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT");
        var builder = new ConfigurationBuilder();
        builder.AddEnvironmentVariables();
        AddRepositorySettings(builder, root, environment);
        builder.AddInMemoryCollection(switches);
        builder.AddInMemoryCollection([new("AnnualCycle:Root", root)]);
        return builder.Build();
    }

    /// <summary>The root folder recorded at configuration time; falls back to <see cref="FindRoot"/>.</summary>
    public static string Root(IConfiguration configuration) => configuration["AnnualCycle:Root"] ?? FindRoot();
}
