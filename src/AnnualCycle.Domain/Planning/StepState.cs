namespace AnnualCycle.Domain.Planning;

/// <summary>
/// Life of a step instance: <c>Planned → Opened → Submitted → Completed</c> (a meeting, milestone or decision:
/// <c>Opened → Completed</c> when confirmed); a return goes <c>Submitted → Returned</c> and the contributor submits
/// again from Returned; <c>Skipped</c> and <c>Cancelled</c> by the process owner. The table is
/// <c>StepTransitions</c> (AnnualCycle.Data). Overdue is derived, never stored.
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
