using AnnualCycle.Data;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Runtime.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AnnualCycle.Runtime;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>Everything the service runs on: data, jobs, the clock and the readiness checks.</summary>
    public static IServiceCollection AddAnnualCycleRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddAnnualCycleData(configuration);
        services.AddAnnualCycleJobs(configuration);
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"]);
        return services;
    }
}
