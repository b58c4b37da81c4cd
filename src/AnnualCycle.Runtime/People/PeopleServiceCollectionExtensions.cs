using AnnualCycle.Runtime.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Runtime.People;

internal static class PeopleServiceCollectionExtensions
{
    /// <summary>
    /// The actor accessor, user administration, deputies and the demo seeder (part of <see cref="AnnualCycleCore"/>,
    /// which registers Identity's user manager first).
    /// </summary>
    public static IServiceCollection AddAnnualCyclePeopleServices(IServiceCollection services)
    {
        services.AddScoped<IActorAccessor, ActorAccessor>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<Deputies>();
        services.AddScoped<DemoSeeder>();
        return services;
    }
}
