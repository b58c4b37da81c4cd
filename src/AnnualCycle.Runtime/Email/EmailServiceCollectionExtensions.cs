using AnnualCycle.Data;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Runtime.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

internal static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Email delivery (part of <see cref="AnnualCycleCore"/>): the notifications library (templates, MIME, the transport
    /// chosen by <c>Email:Smtp:Host</c>, a seam), the outbox dispatcher with its Hangfire job and wake-up (a seam), the
    /// weekly digest, the administration of email, and the start-up registration of the recurring jobs.
    /// </summary>
    public static IServiceCollection AddAnnualCycleEmail(this IServiceCollection services, IConfiguration configuration)
    {
        var dataFolder = DataFolder.From(configuration);
        services.AddAnnualCycleNotifications(configuration, dataFolder.Path, RepositoryConfiguration.Root(configuration));
        services.AddSingleton<EmailMetrics>();
        services.AddSingleton(_ => LeaseOwner.From(configuration));
        services.AddScoped<JobLease>();
        services.AddScoped<OutboxEmailBuilder>();
        services.AddSingleton<OutboxWriteGate>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<OutboxJob>();
        services.AddScoped<WeeklyDigestJob>();
        services.AddScoped<EmailAdministration>();
        services.AddScoped<EmailLog>();
        services.AddScoped<TestEmailSender>();
        services.AddSingleton<IOutboxWakeup, HangfireOutboxWakeup>();
        services.AddHostedService<EmailJobsRegistrar>();
        return services;
    }
}

/// <summary>
/// At start-up: expires the leases a previous start of this instance left behind (it was killed), registers the
/// outbox's minute sweep and the Monday digest at 08:00 in the configured zone (idempotent: same ids every time), and runs the outbox once at once,
/// so what the previous start left unsent goes now rather than at the next sweep.
/// </summary>
public sealed class EmailJobsRegistrar(IServiceScopeFactory scopes, StockholmTime zone, ILogger<EmailJobsRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<JobLease>().ExpirePredecessorsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database is not there yet: the leases expire by themselves within the heartbeat TTL.
            logger.LogWarning("Could not look for leases of a previous start: {Error}", ex.Message);
        }

        var recurring = scope.ServiceProvider.GetService<IRecurringJobManager>();
        recurring?.AddOrUpdate<OutboxJob>(OutboxJob.SweepJobId, j => j.RunAsync(), OutboxJob.SweepCron);
        recurring?.AddOrUpdate<WeeklyDigestJob>(WeeklyDigestJob.JobId, j => j.RunAsync(), WeeklyDigestJob.Cron,
            new RecurringJobOptions { TimeZone = zone.Zone });
        OutboxWakeups.TryWake(scope.ServiceProvider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
