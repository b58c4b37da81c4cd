namespace AnnualCycle.Data.Cycles;

/// <summary>
/// A durable wake-up. This table is the source of truth; a Hangfire job only wakes the dispatcher,
/// which claims the row (<c>Pending → Fired</c>) in the same transaction as the row's effects.
/// </summary>
public sealed class TimerEntity
{
    public Guid Id { get; set; }

    public Guid CycleId { get; set; }

    public Guid StepInstanceId { get; set; }

    public TimerKind Kind { get; set; }

    /// <summary>0-based index among the step's timers of this kind.</summary>
    public int Sequence { get; set; }

    /// <summary>For an escalation: Director or ProcessOwner.</summary>
    public string? Target { get; set; }

    public DateTime DueAtUtc { get; set; }

    public TimerState State { get; set; }

    public DateTime? FiredAtUtc { get; set; }

    /// <summary>Failed firings so far (reset when an administrator re-arms a failed timer).</summary>
    public int Attempts { get; set; }

    /// <summary>The last failure's error, for the administrator.</summary>
    public string? LastError { get; set; }

    /// <summary>After a failure: not tried again before this instant (the backoff). Null when it has not failed.</summary>
    public DateTime? RetryAtUtc { get; set; }

    /// <summary>No longer written: the wake-ups are one row per second in <see cref="TimerWakeupEntity"/>. Kept so older rows and bulk writers stay valid.</summary>
    public string? HangfireJobId { get; set; }
}

/// <summary>
/// One scheduled wake-up of the timer dispatcher: the whole second it is for (UTC) and the job that wakes it. One row per
/// distinct second across every cycle, so 300 cycles due at the same 08:00 share one job; its primary key is what keeps
/// two schedulers (two nodes, or a start racing a reschedule) from writing a second job for the same second.
/// </summary>
public sealed class TimerWakeupEntity
{
    /// <summary>The whole second (UTC) the job wakes at: the timers due from it up to the next second.</summary>
    public DateTime Second { get; set; }

    /// <summary>Null between claiming the second and scheduling its job (a crash there leaves it for reconciliation).</summary>
    public string? JobId { get; set; }
}

/// <summary>A notification recorded in the same transaction as the change that caused it; one row, one email.</summary>
public sealed class OutboxMessageEntity
{
    public Guid Id { get; set; }

    public EmailKind Kind { get; set; }

    public required string RecipientUserId { get; set; }

    public Guid? CycleId { get; set; }

    public Guid? StepInstanceId { get; set; }

    /// <summary>Unique: the same reminder is never recorded twice.</summary>
    public required string DedupKey { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public OutboxState State { get; set; }

    public int Attempts { get; set; }

    /// <summary>When the first attempt was claimed: a row still failing 48 h later is dead-lettered.</summary>
    public DateTime? FirstAttemptAtUtc { get; set; }

    public DateTime? NextAttemptAtUtc { get; set; }

    /// <summary>The dispatcher run that holds the row while it is Sending; its marks only apply with the same token.</summary>
    public Guid? ClaimToken { get; set; }

    /// <summary>When the row was last claimed (Sending); a row Sending for more than 5 minutes is claimed again.</summary>
    public DateTime? ClaimedAtUtc { get; set; }

    /// <summary>The SMTP reply code of the last attempt, when the server gave one.</summary>
    public int? LastStatusCode { get; set; }

    public DateTime? SentAtUtc { get; set; }

    public string? LastError { get; set; }

    public string? PayloadJson { get; set; }
}

/// <summary>
/// One append-only journal line. <see cref="Hash"/> is SHA-256 over the canonical form of the entry and
/// <see cref="PreviousHash"/>: one global chain, so editing or deleting any entry breaks it.
/// </summary>
public sealed class JournalEntryEntity
{
    /// <summary>1, 2, 3, … without gaps, assigned under the journal lock.</summary>
    public long Sequence { get; set; }

    public Guid? CycleId { get; set; }

    public DateTime AtUtc { get; set; }

    public required string ActorUserId { get; set; }

    public string? OnBehalfOfUserId { get; set; }

    public required string Action { get; set; }

    public string? Subject { get; set; }

    public Guid? StepInstanceId { get; set; }

    public string? FromState { get; set; }

    public string? ToState { get; set; }

    public string? Comment { get; set; }

    public required string PreviousHash { get; set; }

    public required string Hash { get; set; }
}

/// <summary>
/// Where a journal chain ends, written in the same transaction as the entries it counts, so that deleting the newest
/// entries (which leaves a shorter chain that still verifies) is seen. <see cref="CycleId"/> is the cycle whose
/// entries this head counts, or <see cref="Guid.Empty"/> for the whole journal (every entry, with or without a cycle).
/// No foreign key: a head outlives its cycle row, so that deleting a cycle cannot take its journal's evidence along.
/// </summary>
public sealed class JournalHeadEntity
{
    /// <summary>The whole journal's head, under the key <see cref="Guid.Empty"/>.</summary>
    public static readonly Guid WholeJournal = Guid.Empty;

    public Guid CycleId { get; set; }

    /// <summary>How many entries the chain holds.</summary>
    public long EntryCount { get; set; }

    /// <summary>The <see cref="JournalEntryEntity.Sequence"/> of the chain's newest entry.</summary>
    public long LastSequence { get; set; }

    /// <summary>The <see cref="JournalEntryEntity.Hash"/> of the chain's newest entry.</summary>
    public required string LastHash { get; set; }
}

/// <summary>
/// A named lease in the database, so that at most one instance of a job runs at a time across processes: taken with
/// a conditional update (only when free or expired), renewed while working, released at the end.
/// </summary>
public sealed class JobLeaseEntity
{
    public required string Name { get; set; }

    public string? Holder { get; set; }

    public DateTime ExpiresAtUtc { get; set; }
}
