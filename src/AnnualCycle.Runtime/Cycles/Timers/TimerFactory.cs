namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>Turns a planned step's instants into timer rows.</summary>
public static class TimerFactory
{
    /// <summary>
    /// The step's timers still in the future. Past ones are left out: a cycle started (or rescheduled) late
    /// records no catch-up reminders. The open timer is the exception: a step whose open time has passed is
    /// opened by the caller at once instead.
    /// <para>
    /// No timer fires at the deadline itself (23:59 on the due date): nobody should be told a step is late at midnight
    /// and again in the morning. The first overdue notice is the plan's, at the definition's reminder hour (08:00 by
    /// default) on the working day after the due date (<c>reminders.overdue</c>, in working days after due).
    /// </para>
    /// </summary>
    public static IEnumerable<TimerEntity> For(StepInstanceEntity step, PlannedStep planned, DateTime nowUtc)
    {
        TimerEntity Make(TimerKind kind, int sequence, DateTimeOffset at, string? target = null) => new()
        {
            Id = Guid.NewGuid(),
            CycleId = step.CycleId,
            StepInstanceId = step.Id,
            Kind = kind,
            Sequence = sequence,
            Target = target,
            DueAtUtc = at.UtcDateTime,
            State = TimerState.Pending,
        };

        var all = new List<TimerEntity> { Make(TimerKind.Open, 0, new DateTimeOffset(step.OpensAtUtc, TimeSpan.Zero)) };
        all.AddRange(planned.Reminders.Select((r, i) => Make(TimerKind.Reminder, i, r)));
        all.AddRange(planned.OverdueNotices.Select((r, i) => Make(TimerKind.Overdue, i, r)));
        all.AddRange(planned.Escalations.Select((e, i) => Make(TimerKind.Escalation, i, e.At, e.Target.ToString())));
        return all.Where(t => t.DueAtUtc > nowUtc);
    }

    /// <summary>
    /// A step's dates moved: its pending timers are superseded by <paramref name="fresh"/>. The old rows are deleted rather
    /// than kept as Cancelled (1,200 reschedules used to leave 8,588 of them), so the table holds what is live plus what
    /// fired. Nothing refers to a pending timer: a wake-up job takes no arguments and an outbox key names only fired ones.
    /// </summary>
    public static async Task ReplacePendingAsync(AnnualCycleDbContext db, Guid stepId, IEnumerable<TimerEntity> fresh, CancellationToken ct)
    {
        await db.Timers.Where(t => t.StepInstanceId == stepId && t.State == TimerState.Pending).ExecuteDeleteAsync(ct);
        db.Timers.AddRange(fresh);
    }
}
