using AnnualCycle.Data.Identity;
using AnnualCycle.Notifications;
using Hangfire;
using Hangfire.InMemory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The services a benchmark runs on: the service's own engine and email dispatcher over the chosen database, real
/// Hangfire on its in-memory storage (never the configured job storage) with the wake-ups counted, and the mail
/// transport counted. By default the database is a SQLite file in a fresh temp folder, deleted afterwards.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string UserPrefix = "bench-";
    public const int RecipientCount = 20;
    public static readonly string ProcessOwnerId = UserPrefix + "process-owner";

    private readonly ServiceProvider _provider;
    private readonly string _tempFolder;
    private bool _keepTempFolder;

    private BenchEnvironment(ServiceProvider provider, string tempFolder, string description, CountingTimerWakeups wakeups, CountingMailTransport transport)
    {
        _provider = provider;
        _tempFolder = tempFolder;
        Description = description;
        Wakeups = wakeups;
        Transport = transport;
    }

    public IServiceProvider Services => _provider;

    /// <summary>The fresh temp folder (the SQLite file's data folder unless a configured database is used).</summary>
    public string TempFolder => _tempFolder;

    /// <summary>Leaves the temp folder in place on dispose: the caller hands it on (e.g. to a web host) and deletes it.</summary>
    public void KeepTempFolder() => _keepTempFolder = true;

    public string Description { get; }

    public CountingTimerWakeups Wakeups { get; }

    public CountingMailTransport Transport { get; }

    public bool UsesSmtp { get; private init; }

    public bool IsPostgreSql { get; private init; }

    /// <param name="configuration">The configuration the host would read (settings file, environment, switches).</param>
    /// <param name="useConfiguredDatabase">Use the configured database instead of a throwaway SQLite file.</param>
    /// <param name="smtp"><c>host:port</c> of a plain SMTP server, or null for the pick-up folder.</param>
    /// <param name="postgres">A PostgreSQL connection string (<c>--postgres</c>): that database, as with <paramref name="useConfiguredDatabase"/>.</param>
    public static async Task<BenchEnvironment> CreateAsync(IConfiguration configuration, bool useConfiguredDatabase, string? smtp, CancellationToken ct, string? postgres = null)
    {
        useConfiguredDatabase |= postgres is not null;
        // Pick-up files (and, by default, the SQLite file) go to a fresh temp folder, never the service's DataFolder.
        var tempFolder = Directory.CreateTempSubdirectory("annualcycle-bench-").FullName;
        var overrides = new Dictionary<string, string?>
        {
            // Never the configured SMTP server unless asked with --smtp: the benchmark sends thousands of messages.
            ["Email:Smtp:Host"] = "",
            ["Email:Smtp:UserName"] = "",
        };
        if (postgres is not null)
        {
            overrides["Database:Provider"] = nameof(DatabaseProvider.PostgreSql);
            overrides["Database:ConnectionString"] = postgres;
        }
        else if (!useConfiguredDatabase)
        {
            overrides["DataFolder"] = tempFolder;
            overrides["Database:Provider"] = nameof(DatabaseProvider.Sqlite);
        }

        if (smtp is not null)
        {
            SmtpSwitch.Apply(smtp, overrides);
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        var database = DataServiceCollectionExtensions.ReadOptions(effective);
        var storage = new InMemoryStorage();
        var wakeups = new CountingTimerWakeups(new HangfireTimerWakeups(new BackgroundJobClient(storage), storage));
        var provider = CliHost.Build(effective, services => UseBenchSeams(services, wakeups, tempFolder, smtp));
        var transport = (CountingMailTransport)provider.GetRequiredService<IMailTransport>();
        var where = postgres is not null ? $"PostgreSQL database {new Npgsql.NpgsqlConnectionStringBuilder(postgres).Database}"
            : useConfiguredDatabase ? $"configured {database.Provider} database"
            : $"throwaway SQLite database in {tempFolder}";
        var environment = new BenchEnvironment(provider, tempFolder, $"{where}; Hangfire in-memory storage; mail to {(smtp is null ? "pick-up folder" : "SMTP " + smtp)}; {Environment.ProcessorCount} cores", wakeups, transport)
        {
            UsesSmtp = smtp is not null,
            IsPostgreSql = database.Provider == DatabaseProvider.PostgreSql,
        };
        try
        {
            await environment.PrepareAsync(useConfiguredDatabase, ct);
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }

        return environment;
    }

    /// <summary>
    /// The seams of a benchmark: timer wake-ups to real Hangfire on its own in-memory storage, counted; no outbox wake-up
    /// (the benchmark runs the dispatcher itself, and nothing may reach a configured job storage); the transport the
    /// service would use (MailKit SMTP with <c>--smtp</c>, else the pick-up folder of the temp folder), counted.
    /// </summary>
    internal static void UseBenchSeams(IServiceCollection services, ITimerWakeups wakeups, string mailFolder, string? smtp) =>
        services.UseTimerWakeups(wakeups)
            .UseOutboxWakeup(new NoOutboxWakeup())
            .UseMailTransport(sp => new CountingMailTransport(smtp is null
                ? new PickupFolderMailTransport(Path.Combine(mailFolder, PickupFolderMailTransport.FolderName))
                : new SmtpMailTransport(sp.GetRequiredService<IOptions<EmailOptions>>(), null, sp.GetService<ILogger<SmtpMailTransport>>())));

    /// <summary>The bench users: a process owner of every organisation and <see cref="RecipientCount"/> recipients.</summary>
    public static IEnumerable<string> RecipientIds() => Enumerable.Range(1, RecipientCount).Select(i => $"{UserPrefix}recipient-{i:00}");

    public Actor ProcessOwner(string organisationId) =>
        new(ProcessOwnerId, "Benchmark", [new RoleGrant(organisationId, null, Roles.ProcessOwner)], []);

    private async Task PrepareAsync(bool useConfiguredDatabase, CancellationToken ct)
    {
        await DatabaseMigrator.MigrateAsync(_provider, ct);
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        if (useConfiguredDatabase && (await db.Cycles.AnyAsync(ct) || await db.OutboxMessages.AnyAsync(ct)))
        {
            // The dispatcher sends every due row and a started cycle cannot be undone: only a database made for benchmarking.
            throw new UsageException("--use-configured-database needs a database made for benchmarking: the configured one already holds cycles or outbox messages.");
        }

        var existing = await db.Users.Where(u => u.Id.StartsWith(UserPrefix)).Select(u => u.Id).ToListAsync(ct);
        foreach (var id in RecipientIds().Prepend(ProcessOwnerId).Except(existing))
        {
            var email = $"{id}@bench.invalid";
            db.Users.Add(new AppUser
            {
                Id = id, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(), DisplayName = id,
                EmailConfirmed = true, SecurityStamp = Guid.NewGuid().ToString("N"),
            });
        }

        await db.SaveChangesAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        Transport.Dispose();
        await _provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_keepTempFolder)
        {
            return;
        }

        try
        {
            Directory.Delete(_tempFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; nothing of the user's.
        }
    }
}
