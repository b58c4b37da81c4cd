namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>A timer that failed <see cref="TimerRetry.MaxAttempts"/> times, as the administrator sees it.</summary>
public sealed record FailedTimerDto(
    Guid Id,
    string Kind,
    Guid CycleId,
    string CycleName,
    Guid StepInstanceId,
    string StepKey,
    string StepTitle,
    DateTime DueAtUtc,
    int Attempts,
    string? LastError);

/// <summary>
/// The administrator's view of timers that could not fire (<see cref="TimerState.Failed"/>), beside the dead-lettered
/// email, and "re-arm": back to Pending with its attempts reset, fired at the next wake-up. Organisation-scoped as the
/// email administration: an administrator sees and re-arms only the timers of the cycles of the organisations they
/// administer (others do not exist for them: 404); a system administrator all.
/// </summary>
public sealed class TimerAdministration(AnnualCycleDbContext db, TimeProvider clock, TimerScheduler scheduler, ITimerWakeups wakeups)
{
    public async Task<IReadOnlyList<FailedTimerDto>> ListFailedAsync(Actor actor, CancellationToken ct = default)
    {
        var scope = actor.RequireAdministrator();
        var rows = await (from t in Visible(scope)
                          where t.State == TimerState.Failed
                          join s in db.StepInstances.AsNoTracking() on t.StepInstanceId equals s.Id
                          join c in db.Cycles.AsNoTracking() on t.CycleId equals c.Id
                          orderby t.DueAtUtc, t.Id
                          select new { t, s.Key, s.Title, c.Name })
            .Take(500).ToListAsync(ct);
        return rows.Select(r => new FailedTimerDto(r.t.Id, r.t.Kind.ToString(), r.t.CycleId, r.Name, r.t.StepInstanceId, r.Key, r.Title, r.t.DueAtUtc, r.t.Attempts, r.t.LastError)).ToList();
    }

    /// <summary>Failed → Pending (attempts reset, error kept until it fires), journalled, and given a wake-up. Any other state is a 409.</summary>
    public async Task RearmAsync(Actor actor, Guid timerId, CancellationToken ct = default)
    {
        var scope = actor.RequireAdministrator();
        var timer = await Visible(scope).FirstOrDefaultAsync(t => t.Id == timerId, ct)
            ?? throw new NotFoundException($"No timer {timerId}.");
        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(ct);
            var changed = await db.Timers.Where(t => t.Id == timerId && t.State == TimerState.Failed)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.State, TimerState.Pending)
                    .SetProperty(t => t.Attempts, 0)
                    .SetProperty(t => t.RetryAtUtc, (DateTime?)null)
                    .SetProperty(t => t.HangfireJobId, (string?)null), ct);
            if (changed == 0)
            {
                var state = await db.Timers.AsNoTracking().Where(t => t.Id == timerId).Select(t => t.State).FirstAsync(ct);
                throw new IllegalTransitionException($"Timer {timerId}", state.ToString(), nameof(TimerState.Pending), "only a Failed timer can be re-armed");
            }

            var step = await db.StepInstances.AsNoTracking().FirstAsync(s => s.Id == timer.StepInstanceId, ct);
            work.Journal(timer.CycleId, actor.UserId, null, "TimerRearmed", step, nameof(TimerState.Failed), nameof(TimerState.Pending), $"{timer.Kind} timer {timer.Id}");
            return true;
        }, null, ct);

        // Its due time has usually passed: wake the dispatcher now rather than at the next minute sweep.
        wakeups.Schedule(clock.GetUtcNow());
        await scheduler.EnsureScheduledAsync(ct);
    }

    /// <summary>The timers of the cycles of the scope's organisations.</summary>
    private IQueryable<TimerEntity> Visible(OrganisationScope scope)
    {
        var rows = db.Timers.AsNoTracking();
        if (scope.All)
        {
            return rows;
        }

        var organisations = scope.Organisations.ToList();
        return rows.Where(t => db.Cycles.Any(c => c.Id == t.CycleId && organisations.Contains(c.OrganisationId)));
    }
}
