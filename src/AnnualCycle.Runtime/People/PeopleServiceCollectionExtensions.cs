using AnnualCycle.Runtime.Demo;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime.People;

internal static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// The actor accessor, user administration, deputies and the demo seeder (part of <see cref="AnnualCycleCore"/>,
    /// which registers Identity's user manager first).
    /// </summary>
    public static IServiceCollection AddAnnualCyclePeopleServices(IServiceCollection services)
    {
        // One mailbox, one account: replaces Identity's normaliser (a later AddIdentityCore only TryAdds its own).
        services.Replace(ServiceDescriptor.Singleton<ILookupNormalizer, EmailLookupNormalizer>());
        services.AddScoped<IActorAccessor, ActorAccessor>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<Deputies>();
        services.AddScoped<SignatureChains>();
        services.AddScoped<DemoSeeder>();
        return services;
    }
}
