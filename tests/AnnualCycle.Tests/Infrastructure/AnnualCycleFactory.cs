using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// Hosts the real service in-process with the given configuration. Every factory gets its own
/// <c>DataFolder</c> under the temp folder unless the settings name one. Tests that boot the host belong
/// to the <see cref="HostCollection"/>: Hangfire keeps process-wide state.
/// </summary>
public class AnnualCycleFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public string DataFolder { get; } = settings.TryGetValue("DataFolder", out var folder) && folder is not null
        ? folder
        : Directory.CreateTempSubdirectory("annualcycle-host-").FullName;

    /// <summary>Zero-setup mode: SQLite in a fresh data folder, in-memory Hangfire.</summary>
    public static AnnualCycleFactory Sqlite(params (string Key, string? Value)[] extra) =>
        new(extra.ToDictionary(e => e.Key, e => e.Value));

    /// <summary>Production shape: EF Core and Hangfire on the given PostgreSQL database.</summary>
    public static AnnualCycleFactory PostgreSql(string connectionString, params (string Key, string? Value)[] extra) =>
        new(new Dictionary<string, string?>(extra.ToDictionary(e => e.Key, e => e.Value))
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = connectionString,
        });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(settings.TryGetValue("Environment", out var env) && env is not null ? env : "Development");
        builder.UseSetting("DataFolder", DataFolder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection
{
    public const string Name = "Host";
}
