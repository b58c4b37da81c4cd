using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Runtime.People;
using AnnualCycle.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The people services (Identity, actor accessor, seeder) on a migrated database without a web host
/// or Hangfire: SQLite in a fresh folder unless the settings say otherwise.
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
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var hostEnvironment = new HostingEnvironment { EnvironmentName = environment, ApplicationName = "AnnualCycle.Tests" };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(hostEnvironment);
        services.AddLogging(b =>
        {
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        configure?.Invoke(services);
        AnnualCycle.Data.DataServiceCollectionExtensions.AddAnnualCycleData(services, configuration);
        services.AddAnnualCyclePeople(configuration);
        services.AddAnnualCycleAuthentication(configuration, hostEnvironment);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
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
