using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>A loaded workflow definition: the årshjul of one organisation, as written in <c>workflows/*.json</c>.</summary>
/// <param name="FirstYear">The first budget year the definition applies to, if it says (e.g. "from planning 2025").</param>
public sealed record WorkflowDefinition(
    string Id,
    string Name,
    int Version,
    string OrganisationId,
    string? Description,
    ReminderPolicy Reminders,
    IReadOnlyList<StepDefinition> Steps,
    string File,
    TextPosition OrganisationPosition,
    int? FirstYear = null)
{
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);
}

/// <summary>One step of a definition. Dates are expressions resolved per cycle year by the planner.</summary>
public sealed record StepDefinition(
    string Id,
    string Title,
    StepKind Kind,
    string Phase,
    Performer Performer,
    FanOut? FanOut,
    IReadOnlyList<StepReference> WaitsFor,
    DateExpression? Opens,
    DateExpression Due,
    IReadOnlyList<ApprovalDefinition> Approvals,
    ReminderPolicy? Reminders,
    Recurrence? Recurrence,
    bool StatutoryDeadline,
    string? StatutoryRule,
    DateExpression? PeriodEnd,
    string? Deliverable,
    string Source,
    TextPosition Position);

/// <summary>Who does a step: a body (or <c>$body</c>, <c>$administration</c> in a fanned-out step) and optionally a role in it.</summary>
public sealed record Performer(string Body, string? Role, TextPosition Position);

/// <summary>
/// "For each nämnd": <see cref="Committees"/> fans out over the organisation's committees; otherwise over the
/// listed bodies.
/// </summary>
public sealed record FanOut(bool Committees, IReadOnlyList<string> Bodies, TextPosition Position);

public sealed record StepReference(string StepId, TextPosition Position);

/// <summary>One sign-off: <see cref="Role"/> in <see cref="Body"/> (a body id, <c>$body</c> or <c>$administration</c>).</summary>
public sealed record ApprovalDefinition(string Body, string Role, TextPosition Position);

/// <summary>
/// When to remind, in working days: <see cref="Before"/> due (reminders), <see cref="Overdue"/> after due (overdue
/// notices), and escalation after due, first to the förvaltning's director then to the process owner.
/// </summary>
public sealed record ReminderPolicy(
    IReadOnlyList<int> Before,
    IReadOnlyList<int> Overdue,
    int? EscalateToDirector,
    int? EscalateToProcessOwner,
    TimeOnly Hour)
{
    public static readonly ReminderPolicy Default = new([10, 5, 1], [1], 3, 8, new TimeOnly(8, 0));
}

/// <summary>A recurring step: one occurrence per reporting month, in the budget year plus <see cref="YearOffset"/>.</summary>
public sealed record Recurrence(IReadOnlyList<int> Months, int YearOffset);
