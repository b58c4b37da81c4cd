namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// Fires every pending timer that is due, a batch at a time: the timers due together are claimed with a conditional
/// update (<c>Pending → Fired</c>) under the writers' lock, in ONE transaction with all their effects, so 1,000
/// reminders due at the same second cost one lock and one commit, not 1,000. A timer fired twice, late or after a crash
/// does its work exactly once. When a batch fails, its timers are fired one by one to find the one that throws, which
/// then backs off (<see cref="TimerRetry"/>). Handlers re-read the step and do nothing when the world has moved on.
/// </summary>
public sealed class TimerDispatcher(
    IServiceScopeFactory scopes,
    IDbContextFactory<AnnualCycleDbContext> contexts,
    TimeProvider clock,
    IWorkflowCatalog catalog,
    ILogger<TimerDispatcher> logger)
{
    private const int BatchSize = 200;

    /// <summary>Fires everything due now. Returns the number of timers that this call claimed.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct = default)
    {
        var fired = 0;
        var failed = new HashSet<Guid>();
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            List<(Guid Id, DateTime Due, TimerKind Kind)> batch;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var rows = await db.Timers.AsNoTracking()
                    .Where(t => t.State == TimerState.Pending && t.DueAtUtc <= now && (t.RetryAtUtc == null || t.RetryAtUtc <= now))
                    .OrderBy(t => t.DueAtUtc).Take(BatchSize + failed.Count)
                    .Select(t => new { t.Id, t.DueAtUtc, t.Kind }).ToListAsync(ct);
                // Same instant: open before reminding, remind before the due notice, and so on.
                batch = rows.Where(r => !failed.Contains(r.Id)).Select(r => (r.Id, r.DueAtUtc, r.Kind)).OrderBy(r => r.DueAtUtc).ThenBy(r => r.Kind).ToList();
            }

            if (batch.Count == 0)
            {
                break;
            }

            try
            {
                fired += await FireBatchAsync(batch.Select(b => b.Id).ToList(), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One of them threw and took the batch's transaction with it: one by one, so the others still fire and
                // only the bad one is counted as failed.
                logger.LogWarning(ex, "A batch of {Count} timers failed; firing them one by one", batch.Count);
                foreach (var timer in batch)
                {
                    try
                    {
                        fired += await FireBatchAsync([timer.Id], ct);
                    }
                    catch (Exception one) when (one is not OperationCanceledException)
                    {
                        // Never let one bad row stop the others: its effects were rolled back; it is tried again after a
                        // backoff, and after TimerRetry.MaxAttempts it is Failed for an administrator to look at.
                        failed.Add(timer.Id);
                        logger.LogError(one, "Timer {TimerId} failed", timer.Id);
                        await RecordFailureAsync(timer.Id, one, ct);
                    }
                }
            }
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TimerScheduler>().EnsureScheduledAsync(ct);
        }

        return fired;
    }

    /// <summary>The earliest due instant of a pending timer still ahead of the clock (not one waiting out a backoff), or null.</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Timers.AsNoTracking()
            .Where(t => t.State == TimerState.Pending && t.DueAtUtc > now && t.RetryAtUtc == null)
            .OrderBy(t => t.DueAtUtc).Select(t => (DateTime?)t.DueAtUtc).FirstOrDefaultAsync(ct);
    }

    /// <summary>
    /// Counts a failed attempt in its own transaction (the firing's was rolled back): the error, the time of the next
    /// attempt, or Failed after <see cref="TimerRetry.MaxAttempts"/>. Only a timer still Pending is touched.
    /// </summary>
    private async Task RecordFailureAsync(Guid timerId, Exception error, CancellationToken ct)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == timerId && t.State == TimerState.Pending, ct);
            if (timer is null)
            {
                return;
            }

            timer.Attempts++;
            timer.LastError = TimerRetry.Describe(error);
            if (timer.Attempts >= TimerRetry.MaxAttempts)
            {
                timer.State = TimerState.Failed;
                timer.RetryAtUtc = null;
                logger.LogError("Timer {TimerId} ({Kind} of step {StepId}) failed {Attempts} times and waits for an administrator", timer.Id, timer.Kind, timer.StepInstanceId, timer.Attempts);
            }
            else
            {
                timer.RetryAtUtc = clock.GetUtcNow().UtcDateTime + TimerRetry.Backoff(timer.Attempts);
            }

            await db.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database itself is failing: the timer stays as it was and the next sweep tries again.
            logger.LogError(ex, "Could not record the failure of timer {TimerId}", timerId);
        }
    }

    /// <summary>Claims and fires one timer; false when it was not pending any more (fired or cancelled elsewhere).</summary>
    public async Task<bool> FireAsync(Guid timerId, CancellationToken ct = default) => await FireBatchAsync([timerId], ct) == 1;

    /// <summary>
    /// Claims the timers of <paramref name="timerIds"/> still pending and fires them, in that order, in one transaction.
    /// Returns how many it claimed (0 when every one was fired or cancelled elsewhere).
    /// </summary>
    private async Task<int> FireBatchAsync(IReadOnlyList<Guid> timerIds, CancellationToken ct)
    {
        // One scope per batch, as one request per command: its own DbContext, and the lifecycle reading through it.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<StepLifecycle>();
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            // Under the writers' lock nobody else claims: what reads as Pending now is ours to fire.
            await work.LockAsync(ct);
            var ids = timerIds.ToList();
            var pending = await db.Timers.AsNoTracking().Where(t => ids.Contains(t.Id) && t.State == TimerState.Pending).ToListAsync(ct);
            if (pending.Count == 0)
            {
                return 0;
            }

            var claimedIds = pending.Select(t => t.Id).ToList();
            await db.Timers.Where(t => claimedIds.Contains(t.Id) && t.State == TimerState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TimerState.Fired).SetProperty(t => t.FiredAtUtc, work.Now), ct);
            var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            foreach (var timer in pending.OrderBy(t => order[t.Id]))
            {
                await FireClaimedAsync(work, lifecycle, timer, ct);
            }

            return pending.Count;
        }, null, ct);
    }

    private async Task FireClaimedAsync(EngineWork work, StepLifecycle lifecycle, TimerEntity timer, CancellationToken ct)
    {
        var (step, cycle) = await lifecycle.LoadAsync(work.Db, timer.StepInstanceId, ct);
        if (cycle.Status != CycleStatus.Running || StepTransitions.IsResolved(step.State))
        {
            return;
        }

        await (timer.Kind switch
        {
            TimerKind.Open => OpenAsync(work, lifecycle, cycle, step, ct),
            TimerKind.Reminder => RemindAsync(work, lifecycle, cycle, step, timer, ct),
            // Due timers are no longer made (TimerFactory); one stored by an older version stays silent rather
            // than send an overdue notice at 23:59 before the morning's.
            TimerKind.Overdue => OverdueAsync(work, lifecycle, cycle, step, timer, ct),
            TimerKind.Escalation => EscalateAsync(work, lifecycle, cycle, step, timer, ct),
            _ => Task.CompletedTask,
        });
    }

    private static async Task OpenAsync(EngineWork work, StepLifecycle lifecycle, CycleEntity cycle, StepInstanceEntity step, CancellationToken ct)
    {
        // Waiting for a dependency: the step opens when the last one is resolved (StepLifecycle.CompleteAsync).
        if (step.State == StepState.Planned && step.OpensAtUtc <= work.Now && await lifecycle.DependenciesResolvedAsync(work.Db, step, ct))
        {
            await lifecycle.OpenAsync(work, cycle, step, Actor.System.UserId, ct);
        }
    }

    private static async Task RemindAsync(EngineWork work, StepLifecycle lifecycle, CycleEntity cycle, StepInstanceEntity step, TimerEntity timer, CancellationToken ct)
    {
        // Contributors have nothing to do before the step opens or after they submitted (again, after a return). A
        // reminder that fires only after the deadline (the service was down over the due date) has nothing true left to
        // say ("1 arbetsdag kvar"); the overdue notice of the next working day tells the same people.
        if (!StepTransitions.IsWithContributor(step.State) || work.Now > step.DueAtUtc)
        {
            return;
        }

        var kind = lifecycle.LocalDate(timer.DueAtUtc) == lifecycle.LocalDate(step.DueAtUtc) ? EmailKind.DueToday : EmailKind.Reminder;
        var recipients = await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
        work.Notify(kind, step, recipients, u => $"reminder:{step.Id}:{timer.Id}:{u}");
        work.Journal(cycle.Id, Actor.System.UserId, null, kind.ToString(), step, null, null, $"{recipients.Count} recipient(s)");
    }

    private static async Task OverdueAsync(EngineWork work, StepLifecycle lifecycle, CycleEntity cycle, StepInstanceEntity step, TimerEntity timer, CancellationToken ct)
    {
        // Whoever holds the ball: the approver of a submitted step, else the body's contributors.
        var approval = step.State == StepState.Submitted ? await StepLifecycle.CurrentApprovalAsync(work.Db, step, ct) : null;
        var recipients = approval is not null
            ? await lifecycle.ApproversWithDeputiesAsync(cycle, approval, work.Now, ct)
            : await lifecycle.ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
        work.Notify(EmailKind.Overdue, step, recipients, u => $"overdue:{step.Id}:{timer.Id}:{u}");
        work.Journal(cycle.Id, Actor.System.UserId, null, "Overdue", step, null, null, $"{recipients.Count} recipient(s)");
    }

    private async Task EscalateAsync(EngineWork work, StepLifecycle lifecycle, CycleEntity cycle, StepInstanceEntity step, TimerEntity timer, CancellationToken ct)
    {
        var people = lifecycle.People;
        var recipients = new List<string>();
        if (timer.Target == nameof(EscalationTarget.Director))
        {
            var organisation = catalog.FindOrganisation(cycle.OrganisationId);
            var administration = organisation?.AdministrationOf(step.BodyId);
            if (administration is not null)
            {
                recipients = await people.HoldersAsync(cycle.OrganisationId, administration.Id, "forvaltningsdirektor", ct);
            }
        }

        // No director named (a body without a förvaltning, or nobody holds the role): the process owner is told instead.
        if (recipients.Count == 0)
        {
            recipients = await people.ProcessOwnersAsync(cycle.OrganisationId, ct);
        }

        recipients = await people.WithDeputiesAsync(recipients, lifecycle.LocalDate(work.Now), ct);
        work.Notify(EmailKind.Escalation, step, recipients, u => $"escalation:{step.Id}:{timer.Id}:{u}");
        work.Journal(cycle.Id, Actor.System.UserId, null, "Escalated", step, null, null, $"to {timer.Target}: {recipients.Count} recipient(s)");
    }
}
