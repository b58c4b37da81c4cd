using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnnualCycle.Runtime.Hosting;

/// <summary>Ready when the product's database answers a query.</summary>
public sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            // A real round trip, not just a socket: a stopped server or a missing schema both fail here.
            await db.Cycles.AsNoTracking().Select(c => c.Id).FirstOrDefaultAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{db.Database.ProviderName} answers");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database does not answer: " + ex.Message);
        }
    }
}

/// <summary>Ready when Hangfire's storage answers (always, for the in-memory storage).</summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var stats = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"{storage.GetType().Name}: {stats.Servers} server(s)"));
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage does not answer: " + ex.Message));
        }
    }
}
