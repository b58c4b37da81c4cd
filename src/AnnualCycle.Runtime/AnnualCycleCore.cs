using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Runtime.Definitions;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Runtime.Jobs;
using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Runtime;

/// <summary>
/// The one composition root of the engine. Every host calls <see cref="AddAnnualCycleCore"/> once: the web service
/// (<c>Program.cs</c>, which adds only web things on top: sign-in schemes, policies, endpoints, health checks, the UI),
/// each CLI verb, <c>bench</c>, <c>simulate</c> and the test fixtures. Afterwards a host may replace the named seams
/// of <see cref="CoreSeams"/> (clock, timer wake-ups, outbox wake-up, mail transport, definitions) and nothing else;
/// a test (<c>CompositionRootTests</c>) proves every host resolves the same core services.
/// </summary>
public static class AnnualCycleCore
{
    /// <summary>Configuration key of the organisation's time zone (an IANA id); Europe/Stockholm when unset.</summary>
    public const string TimeZoneKey = "TimeZone";

    /// <summary>
    /// Registers, in this order: the clock and the zone; the data (EF Core on the configured provider, the change
    /// notifier); jobs (Hangfire client, storage and server); the definitions (catalog loaded once, the planner);
    /// people (Identity's user manager with the password rules, the actor accessor, user administration, deputies,
    /// the demo seeder); the engine (commands, queries, timers); email (templates, MIME, transport, outbox, digest);
    /// calendar feeds. Hosted services (timer reconciliation, recurring jobs, the definitions log, the Hangfire
    /// server) run only where a host is started; a tool that only builds a provider never starts them.
    /// </summary>
    /// <remarks>
    /// Expects what every .NET host gives (<c>WebApplication.CreateBuilder</c>, <c>Host.CreateEmptyApplicationBuilder</c>):
    /// <c>IConfiguration</c>, <c>IHostEnvironment</c> and logging.
    /// </remarks>
    public static IServiceCollection AddAnnualCycleCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // The clock is a seam (CoreSeams.UseClock); the zone is read here, once, and injected everywhere else.
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ReadZone(configuration));

        services.AddAnnualCycleData(configuration);
        services.AddAnnualCycleJobs(configuration);
        services.AddAnnualCycleDefinitions(configuration);
        services.AddAnnualCyclePeople();
        services.AddAnnualCycleEngine(configuration);
        services.AddAnnualCycleEmail(configuration);
        services.AddAnnualCycleCalendar(configuration);
        return services;
    }

    /// <summary>
    /// Identity's user manager over the product database with the account rules every host shares (length over
    /// composition, NIST SP 800-63B; unique email), and the token providers a password reset needs. The web host adds
    /// the sign-in manager, the lockout rules and the schemes on top.
    /// </summary>
    private static IServiceCollection AddAnnualCyclePeople(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.AddIdentityCore<AppUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 4;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.User.RequireUniqueEmail = true;
            })
            .AddEntityFrameworkStores<AnnualCycleDbContext>()
            .AddDefaultTokenProviders();
        return PeopleServiceCollectionExtensions.AddAnnualCyclePeopleServices(services);
    }

    /// <summary>The zone of configuration key <see cref="TimeZoneKey"/>; the one place the default zone is chosen.</summary>
    private static StockholmTime ReadZone(IConfiguration configuration)
    {
        var id = configuration[TimeZoneKey] is { Length: > 0 } configured ? configured : StockholmTime.DefaultZoneId;
        try
        {
            return StockholmTime.ForZone(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidOperationException($"{TimeZoneKey} '{id}' is not a time zone this machine knows; use an IANA id such as Europe/Stockholm.");
        }
    }
}
