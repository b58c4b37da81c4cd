using AnnualCycle.Cli;
using AnnualCycle.Cli.Bench;
using AnnualCycle.Cli.Simulation;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Runtime;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Web;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Runtime;

/// <summary>
/// One composition root: every host — the web service, the CLI verbs, bench, simulate and the test fixtures — registers
/// the core through <see cref="AnnualCycleCore.AddAnnualCycleCore"/> and replaces only the seams of <see cref="CoreSeams"/>.
/// Each host's registrations are checked against the core's own: every core service is there with the same
/// implementation and lifetime, a core service registered once is not overridden, each seam is registered exactly
/// once, and the whole provider validates (every constructor's dependencies resolve, scoped never captured by a singleton).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class CompositionRootTests
{
    private static readonly HashSet<Type> Seams = [.. CoreSeams.ServiceTypes];

    [Fact]
    public async Task EveryHost_ResolvesTheSameCoreServices_AndReplacesOnlySeams()
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-composition-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataFolder"] = folder,
            ["Database:Provider"] = "Sqlite",
        }).Build();
        var core = new ServiceCollection().AddAnnualCycleCore(configuration).ToList();
        var hosts = new Dictionary<string, IServiceCollection>
        {
            ["cli (verify-journal, send-test-email, preview, validate)"] = CliHost.Services(configuration),
            ["cli bench"] = CliHost.Services(configuration, s => BenchEnvironment.UseBenchSeams(s, new RecordingWakeups(), folder, null)),
            ["cli simulate"] = CliHost.Services(configuration, s => SimulationEnvironment.UseSimulationSeams(s, new SimulatedClock(DateTimeOffset.UnixEpoch)), SimulationEnvironment.EnvironmentName),
        };

        await using (var engine = await EngineHarness.SqliteAsync())
        {
            hosts["EngineHarness"] = engine.Registrations;
        }

        IServiceCollection? people = null;
        await using (await PeopleServices.BuildAsync(configure: s => people = s))
        {
            hosts["PeopleServices"] = people!;
        }

        await using (var web = AnnualCycleFactory.Sqlite())
        {
            hosts["web (Program)"] = await WebRegistrationsAsync(web);
        }

        await using (var api = EngineApiFactory.Create())
        {
            hosts["EngineApiFactory"] = await WebRegistrationsAsync(api);
        }

        await using (var clocked = new ClockedHost(AnnualCycleFactory.Sqlite()))
        {
            hosts["ClockedHost"] = await WebRegistrationsAsync(clocked.Factory);
        }

        var problems = hosts.SelectMany(h => Problems(core, h.Value).Select(p => $"{h.Key}: {p}")).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        foreach (var (name, services) in hosts)
        {
            var copy = new ServiceCollection();
            foreach (var descriptor in services)
            {
                ((ICollection<ServiceDescriptor>)copy).Add(descriptor);
            }

            var validation = Record.Exception(() => copy.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }).Dispose());
            Assert.True(validation is null, $"{name}: {validation?.Message}");
        }
    }

    [Fact]
    public void TheZone_IsReadFromConfigurationOnce_AndDefaultsToStockholm()
    {
        var configured = new ServiceCollection().AddAnnualCycleCore(Configuration(("TimeZone", "America/New_York"))).BuildServiceProvider();
        var unset = new ServiceCollection().AddAnnualCycleCore(Configuration()).BuildServiceProvider();

        Assert.Equal("America/New_York", configured.GetRequiredService<StockholmTime>().Zone.Id);
        Assert.Equal(StockholmTime.DefaultZoneId, unset.GetRequiredService<StockholmTime>().Zone.Id);
        var bad = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddAnnualCycleCore(Configuration(("TimeZone", "Europe/Atlantis"))));
        Assert.Contains("TimeZone 'Europe/Atlantis'", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Seam_IsReplaced_NotAddedBeside()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection().AddAnnualCycleCore(Configuration()).UseClock(clock).UseTimerWakeups(new RecordingWakeups());

        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        Assert.Same(clock, services.BuildServiceProvider().GetRequiredService<TimeProvider>());
    }

    /// <summary>The web host's final registrations: captured after Program's and every test's own, once the host is built.</summary>
    private static async Task<IServiceCollection> WebRegistrationsAsync<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        IServiceCollection? captured = null;
        await using var capturing = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => captured = s));
        _ = capturing.Services; // builds and starts the host
        return captured!;
    }

    private static IEnumerable<string> Problems(IReadOnlyList<ServiceDescriptor> core, IServiceCollection host)
    {
        foreach (var seam in Seams)
        {
            var count = host.Count(d => d.ServiceType == seam && !d.IsKeyedService);
            if (count != 1)
            {
                yield return $"seam {seam.Name} is registered {count} times (a seam is replaced, never added beside)";
            }
        }

        foreach (var group in core.Where(d => !Seams.Contains(d.ServiceType)).GroupBy(d => (d.ServiceType, d.ServiceKey)))
        {
            var registered = host.Where(d => d.ServiceType == group.Key.ServiceType && Equals(d.ServiceKey, group.Key.ServiceKey)).ToList();
            foreach (var descriptor in group)
            {
                if (!registered.Any(d => Same(d, descriptor)))
                {
                    yield return $"{Describe(descriptor)} is missing";
                }
            }

            if (group.Count() == 1 && !IsMany(group.Key.ServiceType) && registered.Count > 0 && !Same(registered[^1], group.First()))
            {
                yield return $"{Describe(group.First())} is overridden by {Describe(registered[^1])}";
            }
        }
    }

    /// <summary>Services resolved as a sequence (every registration counts), where a host adding its own is no override.</summary>
    private static bool IsMany(Type type) =>
        type == typeof(Microsoft.Extensions.Hosting.IHostedService) ||
        (type.IsGenericType && type.GetGenericTypeDefinition() is var open &&
         (open == typeof(Microsoft.Extensions.Options.IConfigureOptions<>) || open == typeof(Microsoft.Extensions.Options.IPostConfigureOptions<>) ||
          open == typeof(Microsoft.Extensions.Options.IValidateOptions<>) || open == typeof(Microsoft.Extensions.Options.IOptionsChangeTokenSource<>)));

    private static bool Same(ServiceDescriptor a, ServiceDescriptor b) => a.Lifetime == b.Lifetime && Implementation(a) == Implementation(b);

    /// <summary>The type, the instance's type, or the factory method (the same lambda is the same method in every host).</summary>
    private static string Implementation(ServiceDescriptor d)
    {
        if ((d.IsKeyedService ? d.KeyedImplementationType : d.ImplementationType) is { } type)
        {
            return type.FullName!;
        }

        if ((d.IsKeyedService ? d.KeyedImplementationInstance : d.ImplementationInstance) is { } instance)
        {
            return instance.GetType().FullName + " instance";
        }

        var factory = (d.IsKeyedService ? d.KeyedImplementationFactory?.Method : d.ImplementationFactory?.Method)!;
        return $"factory {factory.DeclaringType?.FullName}.{factory.Name}";
    }

    private static string Describe(ServiceDescriptor d) => $"{d.ServiceType.Name} ({d.Lifetime}: {Implementation(d)})";

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))
            .Append(KeyValuePair.Create("DataFolder", (string?)Directory.CreateTempSubdirectory("annualcycle-composition-").FullName))).Build();
}
