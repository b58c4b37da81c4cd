using Hangfire;
using Microsoft.Extensions.Hosting;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// At start-up: registers the minute sweep and gives every pending timer a live wake-up. This is what makes
/// the in-memory Hangfire of the zero-setup mode safe across restarts: the timer table is the truth.
/// </summary>
public sealed class TimerReconciler(IServiceScopeFactory scopes, ILogger<TimerReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetService<IRecurringJobManager>()?
            .AddOrUpdate<TimerJob>(TimerJob.SweepJobId, j => j.RunDueAsync(), TimerJob.SweepCron);
        var scheduler = scope.ServiceProvider.GetRequiredService<TimerScheduler>();
        var jobs = await scheduler.ReconcileAsync(cancellationToken);
        logger.LogInformation("Timers reconciled: {Jobs} wake-up job(s) scheduled", jobs);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
