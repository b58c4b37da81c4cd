using AnnualCycle.Data;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Runtime.Hosting;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        services.AddScoped<JobLease>();
        services.AddScoped<OutboxEmailBuilder>();
        services.AddScoped<OutboxDispatcher>();
        services.AddScoped<OutboxJob>();
        services.AddScoped<WeeklyDigestJob>();
        services.AddScoped<EmailAdministration>();
        services.AddScoped<TestEmailSender>();
        services.AddSingleton<IOutboxWakeup, HangfireOutboxWakeup>();
        services.AddHostedService<EmailJobsRegistrar>();
        return services;
    }
}

/// <summary>
/// At start-up: registers the outbox's minute sweep and the Monday digest at 08:00 in the configured zone
/// (idempotent: same ids every time).
/// </summary>
public sealed class EmailJobsRegistrar(IRecurringJobManager recurring, StockholmTime zone) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<OutboxJob>(OutboxJob.SweepJobId, j => j.RunAsync(), OutboxJob.SweepCron);
        recurring.AddOrUpdate<WeeklyDigestJob>(WeeklyDigestJob.JobId, j => j.RunAsync(), WeeklyDigestJob.Cron,
            new RecurringJobOptions { TimeZone = zone.Zone });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
