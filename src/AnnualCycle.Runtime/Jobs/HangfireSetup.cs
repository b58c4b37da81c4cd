using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;

namespace AnnualCycle.Runtime.Jobs;

/// <summary>
/// Hangfire wakes the runtime at its timers' due times. Settings measured on these machines
/// (../shared/STACK.md): a 250 ms schedule poll and due times rounded up to a whole second make a
/// scheduled job run 0.06–0.26 s after its due time and never before it.
/// </summary>
public static class HangfireSetup
{
    public const string Schema = "hangfire";
    public static readonly TimeSpan SchedulePollingInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Hangfire's client and storage (PostgreSQL with that provider, else in memory) and its server, part of
    /// <see cref="AnnualCycleCore"/>. Nothing touches the storage until a job is scheduled or the host starts.
    /// </summary>
    internal static IServiceCollection AddAnnualCycleJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DataServiceCollectionExtensions.ReadOptions(configuration);
        services.AddHangfire((provider, config) =>
        {
            // Hangfire keeps its log provider in process-wide state: guard it against the host's logger factory
            // being disposed while Hangfire objects of the process still log (a second host, the CLI, tests).
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                config.UseLogProvider(new DisposalSafeLogProvider(loggerFactory));
            }

            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            ConfigureStorage(config, database);
        });

        services.AddHangfireServer(o =>
        {
            o.SchedulePollingInterval = SchedulePollingInterval;
            o.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2);
        });

        return services;
    }

    public static void ConfigureStorage(IGlobalConfiguration config, DatabaseOptions database)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.ConnectionString), PostgreSqlOptions());
        }
        else
        {
            config.UseInMemoryStorage(new InMemoryStorageOptions());
        }
    }

    public static PostgreSqlStorageOptions PostgreSqlOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = QueuePollInterval,
        InvisibilityTimeout = TimeSpan.FromMinutes(30),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// Hangfire stores due times in whole seconds and truncates: an unrounded time fires up to 0.8 s early.
    /// Rounding up keeps "never before the due time".
    /// </summary>
    public static DateTimeOffset RoundUpToSecond(DateTimeOffset due)
    {
        var remainder = due.UtcTicks % TimeSpan.TicksPerSecond;
        return remainder == 0 ? due : due.AddTicks(TimeSpan.TicksPerSecond - remainder);
    }
}
