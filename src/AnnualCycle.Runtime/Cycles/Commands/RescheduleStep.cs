using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Cycles.Timers;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="Due">New due date (Europe/Stockholm); the deadline is the end of that day as the planner defines it.</param>
/// <param name="Opens">Optional new open date.</param>
public sealed record RescheduleStepCommand(Guid StepId, DateOnly? Due, DateOnly? Opens);

public sealed record RescheduleResultDto(StepDto Step, IReadOnlyList<MovedDateDto> Moved);

/// <summary>
/// The process owner moves a step's due date (and optionally its open date). The cycle is re-planned with
/// all its overrides so every step whose dates depend on this one follows; each step whose dates moved gets
/// fresh timers (the pending ones it replaces are deleted, so the table does not
/// grow with every move, and a late wake-up of an old one finds nothing to do) and its
/// <c>DateVersion</c> bumped. Returns every moved date.
/// </summary>
public sealed class RescheduleStepHandler(AnnualCycleDbContext db, TimeProvider clock, StockholmTime zone, StepLifecycle lifecycle, TimerScheduler scheduler, ICyclePlanner planner)
{
    private sealed class Overrides
    {
        public Dictionary<string, DateOnly> Due { get; set; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateOnly> Opens { get; set; } = new(StringComparer.Ordinal);
    }

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

        var overrides = JsonSerializer.Deserialize<Overrides>(cycle.OverridesJson) ?? new Overrides();
        overrides.Due[step.Key] = due;
        if (command.Opens is { } newOpens)
        {
            overrides.Opens[step.Key] = newOpens;
        }

        CyclePlan plan;
        try
        {
            // The cycle keeps the definition version it started with, even when a newer version applies to its year now.
            plan = planner.Plan(cycle.WorkflowId, cycle.Year, new PlanOverrides(overrides.Due), cycle.WorkflowVersion);
        }
        catch (KeyNotFoundException ex)
        {
            throw new ConflictException($"The cycle follows version {cycle.WorkflowVersion} of {cycle.WorkflowId}, which is no longer loaded; its dates cannot be re-planned. {ex.Message}");
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

        cycle.OverridesJson = JsonSerializer.Serialize(overrides);
        cycle.Version++;
        var planned = plan.Steps.ToDictionary(p => p.Key, StringComparer.Ordinal);
        var steps = await db.StepInstances.Where(s => s.CycleId == cycle.Id).ToListAsync(ct);
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
                instance.Id == step.Id ? comment : $"{comment} (follows {step.Key})", work);
        }

        // An open date moved into the past opens the step now, as a late start would.
        var stateByKey = steps.ToDictionary(s => s.Key, s => s.State, StringComparer.Ordinal);
        foreach (var instance in steps.Where(s => s.State == StepState.Planned && s.OpensAtUtc <= work.Now && moved.Any(m => m.Key == s.Key)))
        {
            if (StepLifecycle.DependenciesResolved(instance, stateByKey))
            {
                await lifecycle.OpenAsync(work, cycle, instance, actor.UserId, ct);
            }
        }

        return new RescheduleResultDto(StepDto.From(step, work.Now), moved);
    }
}
