using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;

namespace AnnualCycle.Runtime.Cycles;

/// <summary>What a command or timer does to a step.</summary>
public enum StepAction
{
    Open,
    Submit,
    Approve,
    Return,
    Confirm,
    Skip,
    Cancel,
    Reschedule,
    Remind,
}

/// <summary>
/// The state machine: each action is allowed only from the states listed here, and leads to the
/// state named. Everything else is an <see cref="IllegalTransitionException"/> ("from X to Y", 409).
/// </summary>
public static class StepTransitions
{
    private static readonly StepState[] Unresolved = [StepState.Planned, StepState.Opened, StepState.Submitted];

    private static readonly Dictionary<StepAction, (StepState[] From, StepState To)> Table = new()
    {
        [StepAction.Open] = ([StepState.Planned], StepState.Opened),
        [StepAction.Submit] = ([StepState.Opened], StepState.Submitted),
        // An approval keeps the step Submitted until the last one, which completes it.
        [StepAction.Approve] = ([StepState.Submitted], StepState.Completed),
        [StepAction.Return] = ([StepState.Submitted], StepState.Returned),
        [StepAction.Confirm] = ([StepState.Opened], StepState.Completed),
        [StepAction.Skip] = (Unresolved, StepState.Skipped),
        [StepAction.Cancel] = (Unresolved, StepState.Cancelled),
        [StepAction.Reschedule] = (Unresolved, StepState.Planned),
        [StepAction.Remind] = ([StepState.Opened], StepState.Opened),
    };

    /// <summary>The state the action leads to (for rescheduling and reminding: the state the step stays in).</summary>
    public static StepState Target(StepAction action) => Table[action].To;

    public static bool IsAllowed(StepAction action, StepState from) => Table[action].From.Contains(from);

    /// <summary>Throws 409 "Step {key} cannot change from {from} to {to}" unless <paramref name="action"/> is allowed from <paramref name="from"/>.</summary>
    public static void Ensure(string subject, StepAction action, StepState from)
    {
        if (!IsAllowed(action, from))
        {
            throw new IllegalTransitionException($"Step {subject}", from.ToString(), TargetName(action));
        }
    }

    /// <summary>Name used in the "to" half of the message: the action's effect, e.g. Approved, Rescheduled.</summary>
    public static string TargetName(StepAction action) => action switch
    {
        StepAction.Approve => "Approved",
        StepAction.Reschedule => "Rescheduled",
        StepAction.Remind => "Reminded",
        _ => Table[action].To.ToString(),
    };

    /// <summary>Completed, skipped and cancelled steps are resolved: they no longer block dependants and get no notices.</summary>
    public static bool IsResolved(StepState state) => state is StepState.Completed or StepState.Skipped or StepState.Cancelled;

    /// <summary>Overdue is derived: the due instant has passed and the step is not resolved.</summary>
    public static bool IsOverdue(StepState state, DateTime dueAtUtc, DateTime nowUtc) => !IsResolved(state) && dueAtUtc < nowUtc;
}
