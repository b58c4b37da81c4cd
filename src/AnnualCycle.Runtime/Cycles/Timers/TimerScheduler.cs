using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Jobs;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// Gives pending timers their wake-ups. Hangfire writes ~370 jobs/s on PostgreSQL (../shared/STACK.md), so
/// timers are grouped by their due second and get ONE job per distinct second, and only the next
/// <see cref="Horizon"/> seconds are scheduled; each dispatcher run schedules the next ones, and the
/// minute sweep catches anything else.
/// </summary>
public sealed class TimerScheduler(AnnualCycleDbContext db, ITimerWakeups wakeups)
{
    public const int Horizon = 200;

    /// <summary>Schedules a wake-up for each of the next distinct due seconds of pending timers without one. Returns the number of jobs written.</summary>
    public async Task<int> EnsureScheduledAsync(CancellationToken ct = default)
    {
        var dues = await db.Timers.AsNoTracking()
            .Where(t => t.State == TimerState.Pending && t.HangfireJobId == null)
            .Select(t => t.DueAtUtc).Distinct().OrderBy(d => d).Take(Horizon * 4).ToListAsync(ct);
        var seconds = dues.Select(d => HangfireSetup.RoundUpToSecond(new DateTimeOffset(d, TimeSpan.Zero))).Distinct().Order().Take(Horizon).ToList();
        foreach (var second in seconds)
        {
            var jobId = wakeups.Schedule(second);
            var from = second.UtcDateTime.AddSeconds(-1);
            var to = second.UtcDateTime;
            await db.Timers
                .Where(t => t.State == TimerState.Pending && t.HangfireJobId == null && t.DueAtUtc > from && t.DueAtUtc <= to)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.HangfireJobId, jobId), ct);
        }

        return seconds.Count;
    }

    /// <summary>
    /// At start-up: forgets every job id the job storage no longer knows (an in-memory storage loses all of
    /// them on restart) and schedules wake-ups again. Returns the number of jobs written.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        var jobIds = await db.Timers.AsNoTracking()
            .Where(t => t.State == TimerState.Pending && t.HangfireJobId != null)
            .Select(t => t.HangfireJobId!).Distinct().ToListAsync(ct);
        foreach (var jobId in jobIds.Where(id => !wakeups.IsAlive(id)))
        {
            await db.Timers.Where(t => t.State == TimerState.Pending && t.HangfireJobId == jobId)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.HangfireJobId, (string?)null), ct);
        }

        return await EnsureScheduledAsync(ct);
    }
}
