using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The core (<see cref="AnnualCycleCore"/>) with the web's sign-in on top, on a migrated database without a web
/// server: SQLite in a fresh folder unless the settings say otherwise. For the people services (Identity, actor
/// accessor, seeder) and sign-in set-up.
/// </summary>
public static class PeopleServices
{
    public static async Task<ServiceProvider> BuildAsync(
        string environment = "Development",
        TimeProvider? clock = null,
        ILoggerProvider? logs = null,
        bool migrate = true,
        Action<IServiceCollection>? configure = null,
        params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["DataFolder"] = Directory.CreateTempSubdirectory("annualcycle-people-").FullName,
            // No definitions unless a test brings its own (UseDefinitions): the people services work without any.
            ["Workflows:Folder"] = Directory.CreateTempSubdirectory("annualcycle-no-workflows-").FullName,
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment, ApplicationName = "AnnualCycle.Tests" });
        builder.Configuration.AddInMemoryCollection(values);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        builder.Services.AddAnnualCycleCore(builder.Configuration);
        if (clock is not null)
        {
            builder.Services.UseClock(clock);
        }

        builder.Services.AddAnnualCycleAuthentication(builder.Configuration, builder.Environment);
        configure?.Invoke(builder.Services);
        var provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        if (migrate)
        {
            await DatabaseMigrator.MigrateAsync(provider);
        }

        return provider;
    }
}

/// <summary>Collects log entries so a test can assert that something was said at a level.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    public List<(LogLevel Level, string Category, string Message)> Entries { get; } = [];

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner.Entries)
            {
                owner.Entries.Add((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
