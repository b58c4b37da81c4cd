using AnnualCycle.Domain.Errors;

namespace AnnualCycle.Data.Cycles;

/// <summary>What a person, a command or a timer does to a step.</summary>
public enum StepAction
{
    /// <summary>The engine opens a planned step (its open time came, or the last step it waits for was resolved).</summary>
    Open,
    Submit,

    /// <summary>A deliverable file is attached before submitting; the state stays.</summary>
    Upload,

    /// <summary>One sign-off of the chain; the state stays Submitted (the engine completes the step after the last one).</summary>
    Approve,
    Return,

    /// <summary>The engine completes a submitted step: after its last approval, or at once when it has none.</summary>
    Complete,
    Confirm,
    Skip,
    Cancel,
    Reschedule,
    Remind,

    /// <summary>
    /// The process owner records that a step was done outside the service, before its cycle was started (a cycle
    /// started after some of its deadlines had passed): it completes without a submission or approvals.
    /// </summary>
    MarkDone,
}

/// <summary>
/// One row of the state machine: <see cref="Action"/> is allowed from the <see cref="From"/> states for the
/// <see cref="Kinds"/> of step (null: every kind) and leads to <see cref="To"/> (null: the state stays).
/// </summary>
/// <param name="JournalAction">The journal's word for it (e.g. <c>Confirmed</c>).</param>
/// <param name="TargetName">The "to" half of a refusal ("cannot change from Completed to Approved").</param>
public sealed record StepTransitionRule(StepAction Action, IReadOnlyList<StepState> From, StepState? To, IReadOnlyList<StepKind>? Kinds, string JournalAction, string TargetName);

/// <summary>One change the state machine made: the journal's from and to.</summary>
public sealed record StepTransition(StepAction Action, StepState From, StepState To, string JournalAction);

/// <summary>
/// The state machine of a step instance, the only table of what may happen from which state. A step changes
/// only through <see cref="StepInstanceEntity.Apply"/>, which checks this table; who may ask for it is the
/// runtime's capability rule. Everything not in the table is an <see cref="IllegalTransitionException"/>
/// ("Step K cannot change from X to Y", 409).
/// </summary>
public static class StepTransitions
{
    /// <summary>Meetings, milestones and decisions happen: someone confirms they did. They are never submitted.</summary>
    public static readonly IReadOnlyList<StepKind> ConfirmedKinds = [StepKind.Meeting, StepKind.Milestone, StepKind.Decision];

    /// <summary>Tasks (and approval steps) deliver something: they are submitted, signed off by their chain, never confirmed.</summary>
    public static readonly IReadOnlyList<StepKind> SubmittedKinds = Enum.GetValues<StepKind>().Except(ConfirmedKinds).ToList();

    /// <summary>Planned, Opened, Submitted and Returned: the step still blocks what waits for it.</summary>
    public static readonly IReadOnlyList<StepState> Unresolved = [StepState.Planned, StepState.Opened, StepState.Submitted, StepState.Returned];

    /// <summary>Opened or Returned: the contributors have something to do (submit, upload, or confirm).</summary>
    public static readonly IReadOnlyList<StepState> WithContributor = [StepState.Opened, StepState.Returned];

    /// <summary>The table, in the order a step usually lives it.</summary>
    public static readonly IReadOnlyList<StepTransitionRule> Rules =
    [
        new(StepAction.Open, [StepState.Planned], StepState.Opened, null, "Opened", "Opened"),
        new(StepAction.Upload, WithContributor, null, SubmittedKinds, "DeliverableUploaded", "Uploaded"),
        new(StepAction.Submit, WithContributor, StepState.Submitted, SubmittedKinds, "Submitted", "Submitted"),
        new(StepAction.Approve, [StepState.Submitted], null, SubmittedKinds, "Approved", "Approved"),
        new(StepAction.Return, [StepState.Submitted], StepState.Returned, SubmittedKinds, "Returned", "Returned"),
        new(StepAction.Complete, [StepState.Submitted], StepState.Completed, SubmittedKinds, "Completed", "Completed"),
        new(StepAction.Confirm, [StepState.Opened], StepState.Completed, ConfirmedKinds, "Confirmed", "Completed"),
        new(StepAction.Remind, WithContributor, null, null, "RemindedByHand", "Reminded"),
        new(StepAction.Reschedule, Unresolved, null, null, "Rescheduled", "Rescheduled"),
        new(StepAction.Skip, Unresolved, StepState.Skipped, null, "Skipped", "Skipped"),
        new(StepAction.Cancel, Unresolved, StepState.Cancelled, null, "Cancelled", "Cancelled"),
        new(StepAction.MarkDone, [StepState.Planned], StepState.Completed, null, "MarkedDone", "Completed"),
    ];

    private static readonly Dictionary<StepAction, StepTransitionRule> ByAction = Rules.ToDictionary(r => r.Action);

    public static StepTransitionRule Rule(StepAction action) => ByAction[action];

    public static bool IsConfirmedKind(StepKind kind) => ConfirmedKinds.Contains(kind);

    /// <summary>Whether the kind of step knows the action at all (a meeting is never submitted, a task never confirmed).</summary>
    public static bool FitsKind(StepAction action, StepKind kind) => ByAction[action].Kinds?.Contains(kind) ?? true;

    public static bool IsAllowed(StepAction action, StepState from) => ByAction[action].From.Contains(from);

    public static bool IsAllowed(StepAction action, StepState from, StepKind kind) => FitsKind(action, kind) && IsAllowed(action, from);

    /// <summary>The state the action leads to from <paramref name="from"/> (the same state for the actions that keep it).</summary>
    public static StepState Target(StepAction action, StepState from) => ByAction[action].To ?? from;

    /// <summary>Name used in the "to" half of a refusal: the action's effect, e.g. Approved, Rescheduled.</summary>
    public static string TargetName(StepAction action) => ByAction[action].TargetName;

    /// <summary>
    /// Throws 409 "Step {key} cannot change from {from} to {to}" unless the table allows <paramref name="action"/> for
    /// this kind from this state; a kind that never does the action says so ("a Meeting is confirmed, not submitted").
    /// </summary>
    public static void Ensure(string key, StepAction action, StepState from, StepKind kind)
    {
        if (KindRefusal(action, kind) is { } reason)
        {
            throw new IllegalTransitionException($"Step {key}", from.ToString(), TargetName(action), reason);
        }

        if (!IsAllowed(action, from))
        {
            throw new IllegalTransitionException($"Step {key}", from.ToString(), TargetName(action));
        }
    }

    /// <summary>Why this kind of step never does the action, or null when it may.</summary>
    public static string? KindRefusal(StepAction action, StepKind kind) => FitsKind(action, kind)
        ? null
        : IsConfirmedKind(kind)
            ? $"a {kind} is confirmed, not {(action == StepAction.Upload ? "given a file" : "submitted")}"
            : $"a {kind} is submitted, not confirmed";

    /// <summary>Completed, skipped and cancelled steps are resolved: they no longer block dependants and get no notices.</summary>
    public static bool IsResolved(StepState state) => !Unresolved.Contains(state);

    /// <summary>Opened or Returned: waiting for its contributors (reminders go out, it is on their list).</summary>
    public static bool IsWithContributor(StepState state) => WithContributor.Contains(state);

    /// <summary>Overdue is derived: the due instant has passed and the step is not resolved.</summary>
    public static bool IsOverdue(StepState state, DateTime dueAtUtc, DateTime nowUtc) => !IsResolved(state) && dueAtUtc < nowUtc;
}

/// <summary>
/// Where a step's transitions are written down: the runtime's unit of work, which chains them into the journal in
/// the same transaction as the change. <see cref="StepInstanceEntity.Apply"/> records through it, so a change
/// cannot be made without its journal entry.
/// </summary>
public interface IStepJournal
{
    /// <summary>The instant of the unit of work: every timestamp a transition stamps.</summary>
    DateTime Now { get; }

    void Record(StepInstanceEntity step, StepTransition transition, string actorUserId, string? onBehalfOfUserId, string? comment, string? subject);
}
