using AnnualCycle.Domain.Definitions;

namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="Due">New due date (Europe/Stockholm); the deadline is the end of that day as the planner defines it.</param>
/// <param name="Opens">Optional new open date.</param>
public sealed record RescheduleStepCommand(Guid StepId, DateOnly? Due, DateOnly? Opens);

public sealed record RescheduleResultDto(StepDto Step, IReadOnlyList<MovedDateDto> Moved);

/// <summary>What re-planning one running cycle moved, and which of its unresolved steps could not be given dates (they kept theirs).</summary>
public sealed record CycleReplanDto(Guid CycleId, IReadOnlyList<MovedDateDto> Moved, IReadOnlyList<UnresolvedStep> Unresolved);

/// <summary>
/// The process owner moves a step's due date (and optionally its open date). The cycle is re-planned with
/// all its overrides so every step whose dates depend on this one follows; each step whose dates moved gets
/// fresh timers (the pending ones it replaces are deleted, so the table does not
/// grow with every move, and a late wake-up of an old one finds nothing to do) and its
/// <c>DateVersion</c> bumped. Returns every moved date.
/// </summary>
public sealed class RescheduleStepHandler(AnnualCycleDbContext db, TimeProvider clock, StockholmTime zone, StepLifecycle lifecycle, TimerScheduler scheduler, ICyclePlanner planner)
{
    public async Task<RescheduleResultDto> HandleAsync(Actor actor, RescheduleStepCommand command, CancellationToken ct = default)
    {
        var due = Validate(command);
        var result = await EngineWork.RunAsync(db, clock, async work =>
            {
                // The writers' lock BEFORE the cycle is read, not only at save: a reschedule rewrites the cycle's overrides
                // (read, add this step's date, write back), and on PostgreSQL two reschedules of different steps that both
                // read the cycle first would collide on its concurrency token (a false 409) or, without it, lose one move.
                // Serialised here as SQLite's BEGIN IMMEDIATE serialises them, the second one re-plans on top of the first.
                await work.LockAsync(ct);
                return await ApplyAsync(work, actor, command, due, ct);
            },
            StepLifecycle.ConflictReporter(db, command.StepId, StepAction.Reschedule), ct);

        await scheduler.EnsureScheduledAsync(ct);
        return result;
    }

    /// <summary>
    /// A dry run of <see cref="HandleAsync"/>: the same authorisation and the same computation, returning the same
    /// result, inside a transaction that is rolled back. Nothing is saved, no journal entry or notification is
    /// recorded and no timer is touched (the timer cancellations the computation issues are rolled back too).
    /// </summary>
    public async Task<RescheduleResultDto> PreviewAsync(Actor actor, RescheduleStepCommand command, CancellationToken ct = default)
    {
        var due = Validate(command);
        // Running the real computation (rather than a copy of it) is what keeps the preview equal to the result.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            return await ApplyAsync(new EngineWork(db, clock), actor, command, due, ct);
        }
        finally
        {
            await tx.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
        }
    }

    private static DateOnly Validate(RescheduleStepCommand command)
    {
        if (command.Due is not { } due)
        {
            throw new InputException("due", "is required (a date, yyyy-MM-dd)");
        }

        if (command.Opens is { } opens && opens > due)
        {
            throw new InputException("opens", "must not be after the due date");
        }

        return due;
    }

    private async Task<RescheduleResultDto> ApplyAsync(EngineWork work, Actor actor, RescheduleStepCommand command, DateOnly due, CancellationToken ct)
    {
        var context = await lifecycle.LoadAsync(db, command.StepId, ct);
        var (step, cycle) = context;
        var authority = context.Require(actor, StepAction.Reschedule);
        if (zone.DeadlineInstant(due).UtcDateTime < work.Now)
        {
            throw new InputException("due", "must not be in the past");
        }

        var overrides = CycleOverrides.Read(cycle.OverridesJson);
        overrides.Due[step.Key] = due;
        if (command.Opens is { } newOpens)
        {
            overrides.Opens[step.Key] = newOpens;
        }

        var replanned = await ReplanAsync(work, cycle, overrides, authority, actor.UserId, step.Key, $"follows {step.Key}", reportUnresolved: false, ct);
        return new RescheduleResultDto(StepDto.From(step, work.Now), replanned.Moved);
    }

    /// <summary>
    /// Re-plans a running cycle with its own overrides against the calendar as this transaction sees it (an import of the
    /// sammanträdesplan writes its meetings first) and moves every unresolved step whose dates changed, exactly as a
    /// reschedule moves the dependants of the step it was asked for: journal entry per step, fresh timers, DateVersion
    /// (so calendar feeds update their events). Steps the plan cannot give dates to keep theirs and are returned in
    /// <see cref="CycleReplanDto.Unresolved"/>; the caller decides whether that may be saved.
    /// </summary>
    /// <param name="cause">Why the dates move, for the journal of each moved step, e.g. "follows the sammanträdesplan 2026, version 3".</param>
    internal async Task<CycleReplanDto> ReplanForCalendarAsync(EngineWork work, CycleEntity cycle, StepAuthorization.Authority authority, string actorUserId, string cause, CancellationToken ct)
    {
        var overrides = CycleOverrides.Read(cycle.OverridesJson);
        return await ReplanAsync(work, cycle, overrides, authority, actorUserId, null, cause, reportUnresolved: true, ct);
    }

    /// <summary>The one path by which a running cycle's dates move: <see cref="HandleAsync"/> and <see cref="ReplanForCalendarAsync"/>.</summary>
    /// <param name="askedKey">The step the process owner asked to move (its journal entry has no cause); null when none was.</param>
    private async Task<CycleReplanDto> ReplanAsync(EngineWork work, CycleEntity cycle, CycleOverrides overrides, StepAuthorization.Authority authority, string actorUserId,
        string? askedKey, string cause, bool reportUnresolved, CancellationToken ct)
    {
        var steps = await db.StepInstances.Where(s => s.CycleId == cycle.Id).ToListAsync(ct);
        // A resolved step's dates are history: they stay as they are, and the steps that follow it follow those dates.
        var kept = steps.Where(s => StepTransitions.IsResolved(s.State))
            .ToDictionary(s => s.Key, s => (zone.LocalDate(s.OpensAtUtc), zone.LocalDate(s.DueAtUtc)), StringComparer.Ordinal);
        CyclePlan plan;
        try
        {
            // The cycle keeps the definition version it started with, even when a newer version applies to its year now.
            plan = planner.Plan(cycle.WorkflowId, cycle.Year, new PlanOverrides(overrides.Due) { Fixed = kept, ReportUnresolved = reportUnresolved }, cycle.WorkflowVersion);
        }
        catch (KeyNotFoundException ex)
        {
            throw new ConflictException($"The cycle follows version {cycle.WorkflowVersion} of {cycle.WorkflowId}, which is no longer loaded; its dates cannot be re-planned. {ex.Message}");
        }
        catch (PlanningException ex)
        {
            // E.g. the sammanträdesplan no longer has a meeting a step is anchored to: the cycle's state, not the request, is at fault.
            throw new PlanUnresolvableException($"The cycle's dates cannot be re-planned: {ex.Message}", ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new InputException("due", ex.Message);
        }

        // A planner that cannot plan a given version must not re-plan the cycle on another one: that could move
        // steps nobody asked to move, so it is refused rather than guessed.
        if (plan.WorkflowVersion != cycle.WorkflowVersion)
        {
            throw new ConflictException($"The cycle follows version {cycle.WorkflowVersion} of {cycle.WorkflowId}, but version {plan.WorkflowVersion} was planned; its dates cannot be re-planned.");
        }

        cycle.OverridesJson = overrides.ToJson();
        cycle.Version++;
        var planned = plan.Steps.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var moved = new List<MovedDateDto>();
        foreach (var instance in steps.Where(s => !StepTransitions.IsResolved(s.State)))
        {
            if (!planned.TryGetValue(instance.Key, out var p))
            {
                continue;
            }

            var newOpensUtc = overrides.Opens.TryGetValue(instance.Key, out var o)
                ? zone.ToInstant(o, TimeOnly.FromDateTime(zone.ToLocal(p.Opens).DateTime)).UtcDateTime
                : p.Opens.UtcDateTime;
            var newDueUtc = p.Due.UtcDateTime;
            if (newOpensUtc == instance.OpensAtUtc && newDueUtc == instance.DueAtUtc)
            {
                continue;
            }

            if (newOpensUtc != instance.OpensAtUtc)
            {
                moved.Add(new MovedDateDto(instance.Key, "opens", instance.OpensAtUtc, newOpensUtc));
            }

            if (newDueUtc != instance.DueAtUtc)
            {
                moved.Add(new MovedDateDto(instance.Key, "due", instance.DueAtUtc, newDueUtc));
            }

            var comment = $"opens {instance.OpensAtUtc:u} → {newOpensUtc:u}; due {instance.DueAtUtc:u} → {newDueUtc:u}";
            instance.OpensAtUtc = newOpensUtc;
            instance.DueAtUtc = newDueUtc;
            instance.DateVersion++;
            await TimerFactory.ReplacePendingAsync(db, instance.Id, TimerFactory.For(instance, p with { Opens = new DateTimeOffset(newOpensUtc, TimeSpan.Zero) }, work.Now)
                .Where(t => !(t.Kind == TimerKind.Open && instance.State != StepState.Planned)), ct);
            instance.Apply(StepAction.Reschedule, authority.UserId, authority.OnBehalfOfUserId,
                instance.Key == askedKey ? comment : $"{comment} ({cause})", work);
        }

        // An open date moved into the past opens the step now, as a late start would.
        var stateByKey = steps.ToDictionary(s => s.Key, s => s.State, StringComparer.Ordinal);
        foreach (var instance in steps.Where(s => s.State == StepState.Planned && s.OpensAtUtc <= work.Now && moved.Any(m => m.Key == s.Key)))
        {
            if (StepLifecycle.DependenciesResolved(instance, stateByKey))
            {
                await lifecycle.OpenAsync(work, cycle, instance, actorUserId, ct);
            }
        }

        var byKey = steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var unresolved = plan.Unresolved.Where(u => byKey.TryGetValue(u.Key, out var s) && !StepTransitions.IsResolved(s.State)).ToList();
        return new CycleReplanDto(cycle.Id, moved, unresolved);
    }
}
