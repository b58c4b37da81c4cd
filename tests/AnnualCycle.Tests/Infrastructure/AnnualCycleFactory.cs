using AnnualCycle.Runtime;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The one way the tests host the service: the real <c>Program</c> in-process with the given configuration, in
/// TestServer or on a loopback socket (<c>UseKestrel</c>, for the browser tests). Every factory gets its own
/// <c>DataFolder</c> under the temp folder unless the settings name one. What a test may change it names before the
/// host starts: the clock (<see cref="WithClock"/>) and other seams or test-only services (<see cref="WithServices"/>,
/// e.g. <see cref="EngineApiFactory"/>'s header sign-in). Tests that boot the host belong to the
/// <see cref="HostCollection"/>: Hangfire keeps process-wide state.
/// </summary>
public sealed class AnnualCycleFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    private readonly List<Action<IServiceCollection>> _services = [];

    public string DataFolder { get; } = settings.TryGetValue("DataFolder", out var folder) && folder is not null
        ? folder
        : Directory.CreateTempSubdirectory("annualcycle-host-").FullName;

    /// <summary>The host's clock when a test replaced it (<see cref="WithClock"/>); null: the system clock.</summary>
    public FakeTimeProvider? Clock { get; private set; }

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

    /// <summary>Replaces the host's <see cref="TimeProvider"/> (the composition root's clock seam). Before the host starts.</summary>
    public AnnualCycleFactory WithClock(FakeTimeProvider clock)
    {
        Clock = clock;
        return WithServices(s => s.UseClock(clock));
    }

    /// <summary>Runs after the host's own registrations (ConfigureTestServices): replace a seam or add a test-only service. Before the host starts.</summary>
    public AnnualCycleFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(settings.TryGetValue("Environment", out var env) && env is not null ? env : "Development");
        builder.UseSetting("DataFolder", DataFolder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }
}

/// <summary>
/// The tests that boot the host (Hangfire keeps process-wide state), one at a time; the browser tests among them share
/// the collection's one Chromium (<see cref="SharedChromium"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostCollection : ICollectionFixture<SharedChromium>
{
    public const string Name = "Host";
}
