using AnnualCycle.Domain.Calendar;
using AnnualCycle.Runtime.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// The actor accessor, user administration, deputies and the demo seeder. Identity itself
    /// (UserManager, SignInManager) is registered by the web host's <c>AddAnnualCycleWeb</c>.
    /// </summary>
    public static IServiceCollection AddAnnualCyclePeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
        {
            var zone = configuration["TimeZone"];
            return string.IsNullOrWhiteSpace(zone) ? StockholmTime.Default : new StockholmTime(TimeZoneInfo.FindSystemTimeZoneById(zone));
        });
        // One mailbox, one account: before or after AddIdentityCore (which only TryAdds its own), this normaliser wins.
        services.RemoveAll<ILookupNormalizer>();
        services.AddSingleton<ILookupNormalizer, EmailLookupNormalizer>();
        services.TryAddScoped<IActorAccessor, ActorAccessor>();
        services.TryAddScoped<UserAdministration>();
        services.TryAddScoped<Deputies>();
        services.TryAddScoped<SignatureChains>();
        services.TryAddScoped<DemoSeeder>();
        return services;
    }
}
