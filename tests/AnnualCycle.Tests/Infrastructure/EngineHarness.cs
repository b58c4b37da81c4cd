using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Runtime.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The engine without the web host: the composition root (<see cref="AnnualCycleCore"/>) over a real database (a SQLite
/// file in a temp folder, or a fresh PostgreSQL database) with its seams replaced (<see cref="CoreSeams"/>): a
/// <see cref="FakeTimeProvider"/>, recorded timer and outbox wake-ups, the fake planner and catalog; and the people of
/// <see cref="FakeCyclePlanner.Organisation"/> seeded as users with grants. Email is part of the core: the transport is
/// the pick-up folder of the data folder unless the settings name an SMTP server or a test replaces it.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public const string ProcessOwner = "u-po";
    public const string Admin = "u-admin";
    public const string EsContributor = "u-es";
    public const string RsContributor = "u-rs";
    public const string HsnContributor = "u-hsn";
    public const string HsnContributor2 = "u-hsn2";
    public const string RunContributor = "u-run";
    public const string HsfDirector = "u-hsf-dir";
    public const string RufDirector = "u-ruf-dir";
    public const string HsnCommittee = "u-hsn-namnd";
    public const string RunCommittee = "u-run-namnd";
    public const string HsfDeputy = "u-hsf-deputy";

    private readonly ServiceProvider _provider;

    private EngineHarness(ServiceProvider provider, IServiceCollection registrations, FakeTimeProvider clock, ITimerWakeups wakeups, RecordingOutboxWakeup outboxWakeup)
    {
        _provider = provider;
        Registrations = registrations;
        Clock = clock;
        Wakeups = wakeups;
        OutboxWakeup = outboxWakeup;
    }

    public FakeTimeProvider Clock { get; }

    public ITimerWakeups Wakeups { get; }

    /// <summary>Counts the outbox wake-ups asked for after commits that recorded notifications.</summary>
    public RecordingOutboxWakeup OutboxWakeup { get; }

    /// <summary>What the provider was built from (the composition tests compare it with the other hosts').</summary>
    public IServiceCollection Registrations { get; }

    public IServiceProvider Services => _provider;

    /// <param name="wakeups">Timer wake-ups; recorded when null.</param>
    /// <param name="folder">The data folder; a fresh temp folder when null.</param>
    /// <param name="settings">More configuration (e.g. <c>Email:Smtp:Host</c>).</param>
    /// <param name="configure">Runs after the core and the harness's seams: replace a seam here (e.g.
    /// <c>(s, _) => s.UseMailTransport(sp => new ThrowingTransport())</c>), nothing else.</param>
    public static Task<EngineHarness> SqliteAsync(ITimerWakeups? wakeups = null, string? folder = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection, IConfiguration>? configure = null) =>
        CreateAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["DataFolder"] = folder ?? Directory.CreateTempSubdirectory("annualcycle-engine-").FullName,
        }, wakeups, settings, configure);

    public static Task<EngineHarness> PostgreSqlAsync(string connectionString, ITimerWakeups? wakeups = null, IDictionary<string, string?>? settings = null, Action<IServiceCollection, IConfiguration>? configure = null) =>
        CreateAsync(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "PostgreSql",
            ["Database:ConnectionString"] = connectionString,
            ["DataFolder"] = Directory.CreateTempSubdirectory("annualcycle-engine-").FullName,
        }, wakeups, settings, configure);

    private static async Task<EngineHarness> CreateAsync(Dictionary<string, string?> settings, ITimerWakeups? wakeups, IDictionary<string, string?>? extra, Action<IServiceCollection, IConfiguration>? configure)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
        wakeups ??= new RecordingWakeups();
        var outboxWakeup = new RecordingOutboxWakeup();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ApplicationName = "AnnualCycle.Tests" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAnnualCycleCore(builder.Configuration)
            .UseClock(clock)
            .UseTimerWakeups(wakeups)
            .UseOutboxWakeup(outboxWakeup)
            .UseDefinitions(new FakeWorkflowCatalog(), new FakeCyclePlanner());
        configure?.Invoke(builder.Services, builder.Configuration);
        var provider = builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var harness = new EngineHarness(provider, builder.Services, clock, wakeups, outboxWakeup);
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        await db.Database.MigrateAsync();
        await SeedPeopleAsync(db);
        return harness;
    }

    private static async Task SeedPeopleAsync(AnnualCycleDbContext db)
    {
        if (await db.Users.AnyAsync())
        {
            return; // reopened after a "restart"
        }

        const string org = FakeCyclePlanner.OrganisationId;
        (string User, string? Body, string Role)[] grants =
        [
            (ProcessOwner, null, Roles.ProcessOwner), (Admin, null, Roles.Administrator),
            (EsContributor, "ES", Roles.Contributor), (RsContributor, "RS", Roles.Contributor),
            (HsnContributor, "HSN", Roles.Contributor), (HsnContributor2, "HSN", Roles.Contributor), (RunContributor, "RUN", Roles.Contributor),
            (HsfDirector, "HSF", "forvaltningsdirektor"), (RufDirector, "RUF", "forvaltningsdirektor"),
            (HsnCommittee, "HSN", Roles.Committee), (RunCommittee, "RUN", Roles.Committee),
        ];
        foreach (var user in grants.Select(g => g.User).Append(HsfDeputy).Distinct())
        {
            db.Users.Add(new AppUser { Id = user, UserName = user + "@test.local", Email = user + "@test.local", DisplayName = user });
        }

        await db.SaveChangesAsync();
        db.RoleGrants.AddRange(grants.Select(g => new RoleGrantEntity { Id = Guid.NewGuid(), UserId = g.User, OrganisationId = org, BodyId = g.Body, Role = g.Role }));
        await db.SaveChangesAsync();
    }

    /// <summary>Names <paramref name="deputy"/> as ersättare for <paramref name="principal"/> over the whole test period.</summary>
    public async Task AddDeputyAsync(string principal, string deputy)
    {
        await using var scope = _provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        db.Deputies.Add(new DeputyEntity(principal, deputy, new DateOnly(2020, 1, 1), new DateOnly(2030, 12, 31)) { Id = Guid.NewGuid() });
        await db.SaveChangesAsync();
    }

    /// <summary>The actor as the product's accessor builds it: own grants plus those delegated today.</summary>
    public Task<Actor> ActorAsync(string userId) =>
        InScopeAsync(sp => sp.GetRequiredService<IActorAccessor>().GetByUserIdAsync(userId));

    /// <summary>Runs <paramref name="action"/> in a fresh scope (its own DbContext), as one HTTP request would.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> HandleAsync<THandler, T>(Func<THandler, Task<T>> action) where THandler : notnull =>
        InScopeAsync(sp => action(sp.GetRequiredService<THandler>()));

    public async Task<T> DbAsync<T>(Func<AnnualCycleDbContext, Task<T>> query)
    {
        await using var scope = _provider.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>());
    }

    public Task<int> RunDueAsync() => InScopeAsync(sp => sp.GetRequiredService<TimerDispatcher>().RunDueAsync());

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}

/// <summary>Counts outbox wake-ups instead of enqueuing Hangfire jobs.</summary>
public sealed class RecordingOutboxWakeup : IOutboxWakeup
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Wake() => Interlocked.Increment(ref _count);
}

/// <summary>Records wake-ups instead of writing Hangfire jobs.</summary>
public sealed class RecordingWakeups : ITimerWakeups
{
    private readonly List<DateTimeOffset> _scheduled = [];

    public IReadOnlyList<DateTimeOffset> Scheduled
    {
        get
        {
            lock (_scheduled)
            {
                return _scheduled.ToList();
            }
        }
    }

    public string Schedule(DateTimeOffset at)
    {
        lock (_scheduled)
        {
            _scheduled.Add(at);
            return "job-" + _scheduled.Count;
        }
    }

    public bool IsAlive(string jobId) => true;
}
