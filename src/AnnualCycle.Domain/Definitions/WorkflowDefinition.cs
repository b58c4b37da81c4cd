using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// A loaded workflow definition: one version of the årshjul of one organisation, as written in <c>workflows/*.json</c>.
/// Several files may hold versions of one id; <see cref="AppliesTo"/> says which budget years each version plans, and
/// the catalog picks the highest version that applies to a year (<see cref="WorkflowCatalog.Resolve"/>).
/// </summary>
/// <param name="AppliesTo">The budget years this version plans (<c>"appliesTo": { "from": 2025 }</c>); all years when the file does not say.</param>
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
    YearRange? AppliesTo = null)
{
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>True when this version plans budget year <paramref name="year"/>.</summary>
    public bool AppliesToYear(int year) => AppliesTo?.Contains(year) ?? true;

    /// <summary>"v3 (2024)", "v4 (2025–)": the version and the budget years it plans, for messages.</summary>
    public string VersionLabel => $"v{Version} ({AppliesTo?.ToString() ?? "alla år"})";
}

/// <summary>Budget years from <see cref="From"/> to <see cref="To"/>, both included; an open end has no limit.</summary>
public sealed record YearRange(int? From, int? To)
{
    public bool Contains(int year) => (From is null || year >= From) && (To is null || year <= To);

    /// <summary>True when the two ranges share a year.</summary>
    public bool Overlaps(YearRange other) =>
        (From ?? int.MinValue) <= (other.To ?? int.MaxValue) && (other.From ?? int.MinValue) <= (To ?? int.MaxValue);

    public override string ToString() => (From, To) switch
    {
        ({ } f, { } t) when f == t => $"{f}",
        ({ } f, { } t) => $"{f}–{t}",
        ({ } f, null) => $"{f}–",
        (null, { } t) => $"–{t}",
        _ => "alla år",
    };
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
