namespace AnnualCycle.Data.Cycles;

/// <summary>A cycle is Running until every step is resolved or the process owner stops it.</summary>
public enum CycleStatus
{
    Running,
    Completed,
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

/// <summary>
/// Life of a timer: <c>Pending → Fired</c> (claimed in the same transaction as its effects); <c>Cancelled</c> when its step
/// is resolved first. A timer whose firing throws stays Pending with the error and tries again after a backoff; after
/// <c>TimerRetry.MaxAttempts</c> it is <c>Failed</c> and waits for an administrator to re-arm it (back to Pending).
/// </summary>
public enum TimerState
{
    Pending,
    Fired,
    Cancelled,
    Failed,
}

/// <summary>
/// Life of an outbox row: <c>Pending → Sending → Sent</c>; a temporary failure goes <c>Sending → Retrying → Sending</c>,
/// a permanent one (or 48 h of failures) to <c>DeadLetter</c>. <c>Dropped</c>: a reminder whose step was resolved before
/// it went out. <c>Digested</c>: left for the weekly digest of a recipient who chose it. Sent, DeadLetter, Dropped and
/// Digested are final (an administrator may send a dead letter again).
/// </summary>
public enum OutboxState
{
    Pending,
    Sending,
    Sent,
    Retrying,
    DeadLetter,
    Dropped,
    Digested,
}
