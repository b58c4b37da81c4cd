using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// Fires every pending timer that is due, each in its own transaction: the timer is claimed with a
/// conditional update (<c>Pending → Fired</c>) in the same transaction as its effects, so a timer fired
/// twice, late or after a crash does its work exactly once. Handlers re-read the step and do nothing when
/// the world has moved on.
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

            foreach (var timer in batch)
            {
                try
                {
                    if (await FireAsync(timer.Id, ct))
                    {
                        fired++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Never let one bad row stop the others: its effects were rolled back; it is tried again after a
                    // backoff, and after TimerRetry.MaxAttempts it is Failed for an administrator to look at.
                    failed.Add(timer.Id);
                    logger.LogError(ex, "Timer {TimerId} failed", timer.Id);
                    await RecordFailureAsync(timer.Id, ex, ct);
                }
            }
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TimerScheduler>().EnsureScheduledAsync(ct);
        }

        return fired;
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
    public async Task<bool> FireAsync(Guid timerId, CancellationToken ct = default)
    {
        // One scope per timer, as one request per command: its own DbContext, and the lifecycle reading through it.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var lifecycle = scope.ServiceProvider.GetRequiredService<StepLifecycle>();
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(ct);
            var claimed = await db.Timers.Where(t => t.Id == timerId && t.State == TimerState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TimerState.Fired).SetProperty(t => t.FiredAtUtc, work.Now), ct);
            if (claimed == 0)
            {
                return false;
            }

            var timer = await db.Timers.AsNoTracking().FirstAsync(t => t.Id == timerId, ct);
            var (step, cycle) = await lifecycle.LoadAsync(db, timer.StepInstanceId, ct);
            if (cycle.Status != CycleStatus.Running || StepTransitions.IsResolved(step.State))
            {
                return true;
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
            return true;
        }, null, ct);
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

        var kind = lifecycle.LocalDate(timer.DueAtUtc) == lifecycle.LocalDate(step.DueAtUtc) ? OutboxKind.DueToday : OutboxKind.Reminder;
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
        work.Notify(OutboxKind.Overdue, step, recipients, u => $"overdue:{step.Id}:{timer.Id}:{u}");
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
        work.Notify(OutboxKind.Escalation, step, recipients, u => $"escalation:{step.Id}:{timer.Id}:{u}");
        work.Journal(cycle.Id, Actor.System.UserId, null, "Escalated", step, null, null, $"to {timer.Target}: {recipients.Count} recipient(s)");
    }
}
