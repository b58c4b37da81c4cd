using AnnualCycle.Cli.Bench;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Runtime.Demo;

namespace AnnualCycle.Cli.Simulation;

/// <summary>
/// The services a simulation runs on: the engine's composition root (<see cref="CliHost"/>) over a
/// throwaway SQLite database in a fresh temp folder, the demo users seeded by the real <see cref="DemoSeeder"/>, and a
/// <see cref="SimulatedClock"/>. No Hangfire: the simulator fires the timer dispatcher and the outbox dispatcher itself,
/// as the minute sweeps would. Mail goes to <c>--smtp</c>, else the configured <c>Email:Smtp</c> server, else the
/// pick-up folder of the temp folder (then the folder is kept so the messages can be read).
/// </summary>
public sealed class SimulationEnvironment : IAsyncDisposable
{
    /// <summary>The host environment of a simulation: its throwaway database may hold the demo users.</summary>
    public const string EnvironmentName = "Simulation";

    private readonly ServiceProvider _provider;

    private SimulationEnvironment(ServiceProvider provider, SimulatedClock clock, string tempFolder, string? smtpServer)
    {
        _provider = provider;
        Clock = clock;
        Zone = provider.GetRequiredService<StockholmTime>();
        TempFolder = tempFolder;
        SmtpServer = smtpServer;
    }

    public IServiceProvider Services => _provider;

    public SimulatedClock Clock { get; }

    /// <summary>The organisation's zone as the service reads it from configuration (<c>TimeZone</c>).</summary>
    public StockholmTime Zone { get; }

    public string TempFolder { get; }

    /// <summary><c>host:port</c> mail went to, or null for the pick-up folder.</summary>
    public string? SmtpServer { get; }

    public string PickupFolder => Path.Combine(TempFolder, PickupFolderMailTransport.FolderName);

    public string MailDescription => SmtpServer is null ? $"pick-up folder {PickupFolder}" : $"SMTP {SmtpServer}";

    /// <param name="configuration">The configuration the host would read (settings file, environment, switches).</param>
    /// <param name="smtp"><c>host:port</c> of a plain SMTP server, or null for the configured server or the pick-up folder.</param>
    /// <param name="start">Where the simulated clock starts, in the configured zone (see <see cref="Zone"/>).</param>
    public static async Task<SimulationEnvironment> CreateAsync(IConfiguration configuration, string? smtp, Func<StockholmTime, DateTimeOffset> start, CancellationToken ct)
    {
        var overrides = new Dictionary<string, string?>
        {
            ["Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Database:ConnectionString"] = null,
            [DemoSeeder.ConfigKey] = "true",
        };
        if (smtp is not null)
        {
            SmtpSwitch.Apply(smtp, overrides);
        }

        // Checked before anything is made: bad arguments leave no temp folder behind.
        var tempFolder = Directory.CreateTempSubdirectory("annualcycle-simulate-").FullName;
        overrides["DataFolder"] = tempFolder;
        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        var smtpHost = effective["Email:Smtp:Host"];
        var smtpServer = string.IsNullOrWhiteSpace(smtpHost) ? null : $"{smtpHost}:{effective["Email:Smtp:Port"] ?? "25"}";

        var clock = new SimulatedClock(DateTimeOffset.UnixEpoch);
        var provider = CliHost.Build(effective, services => UseSimulationSeams(services, clock), EnvironmentName);
        var environment = new SimulationEnvironment(provider, clock, tempFolder, smtpServer);
        try
        {
            clock.AdvanceTo(start(environment.Zone));
            await DatabaseMigrator.MigrateAsync(provider, ct);
            var outcome = await DemoSeeder.SeedIfEnabledAsync(provider, ct);
            if (outcome != DemoSeedOutcome.Seeded)
            {
                throw new InvalidOperationException($"The demo users were not seeded ({outcome}).");
            }
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }

        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (SmtpServer is not null)
        {
            try
            {
                Directory.Delete(TempFolder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; nothing of the user's.
            }
        }
    }

    /// <summary>
    /// The seams of a simulation: the simulated clock, and no wake-ups at all, since the simulator fires the timer
    /// dispatcher and sends the outbox itself (nothing may reach a job storage). The mail transport is the configured one.
    /// </summary>
    internal static void UseSimulationSeams(IServiceCollection services, SimulatedClock clock) =>
        services.UseClock(clock).UseTimerWakeups(new NoTimerWakeups()).UseOutboxWakeup(new NoOutboxWakeup());

    private sealed class NoTimerWakeups : ITimerWakeups
    {
        public string Schedule(DateTimeOffset at) => "simulated";

        public bool IsAlive(string jobId) => true;
    }
}
