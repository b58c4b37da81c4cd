namespace AnnualCycle.Data.Cycles;

/// <summary>A cycle is Running until every step is resolved or the process owner stops it.</summary>
public enum CycleStatus
{
    Running,
    Completed,
    Cancelled,
}

/// <summary>
/// Life of a step instance: <c>Planned → Opened → Submitted → Completed</c>; a return goes
/// <c>Submitted → Returned → Opened</c> in one command (both transitions are journalled);
/// <c>Skipped</c> and <c>Cancelled</c> by the process owner. Overdue is derived, never stored.
/// </summary>
public enum StepState
{
    Planned,
    Opened,
    Submitted,
    Returned,
    Completed,
    Skipped,
    Cancelled,
}

public enum ApprovalState
{
    Pending,
    Approved,
    Returned,
}

public enum TimerKind
{
    Open,
    Reminder,
    Due,
    Overdue,
    Escalation,
}

public enum TimerState
{
    Pending,
    Fired,
    Cancelled,
}

public enum OutboxKind
{
    StepOpened,
    Reminder,
    DueToday,
    Overdue,
    Escalation,
    ApprovalRequested,
    Returned,
    Completed,
}

/// <summary>Pending until the sender picks it up; the sender adds its own states.</summary>
public enum OutboxState
{
    Pending,
    Sending,
    Sent,
    Retrying,
    DeadLetter,
}
