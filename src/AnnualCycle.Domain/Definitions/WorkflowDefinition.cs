using AnnualCycle.Domain.Calendar;
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
    YearRange? AppliesTo = null,
    ElectionHandling? ElectionYear = null)
{
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>
    /// The steps as they apply to budget year <paramref name="year"/>: in an election-year cycle
    /// (<see cref="SwedishElections.IsElectionCycle"/>) the steps marked <c>"when": "electionYear"</c> and each step's
    /// <c>"electionYear"</c> variant; in other years the steps marked <c>"when": "otherYears"</c>. Steps without a
    /// condition take part every year.
    /// </summary>
    public WorkflowDefinition ForBudgetYear(int year)
    {
        var election = SwedishElections.IsElectionCycle(year);
        var steps = Steps
            .Where(s => s.Condition switch
            {
                StepCondition.ElectionYear => election,
                StepCondition.OtherYears => !election,
                _ => true,
            })
            .Select(s => election && s.ElectionYearVariant is { } v ? s.WithVariant(v) : s)
            .ToList();
        return this with { Steps = steps };
    }

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
    TextPosition Position,
    StepCondition Condition = StepCondition.Always,
    StepVariant? ElectionYearVariant = null,
    string? AppliedVariant = null)
{
    /// <summary>The step with its election-year variant's fields in place of its own.</summary>
    public StepDefinition WithVariant(StepVariant variant) => this with
    {
        Title = variant.Title ?? Title,
        Opens = variant.Opens ?? Opens,
        Due = variant.Due ?? Due,
        StatutoryDeadline = variant.Statutory is { } st ? st.Deadline : StatutoryDeadline,
        StatutoryRule = variant.Statutory is { } sr ? sr.Rule : StatutoryRule,
        Source = variant.Source ?? Source,
        AppliedVariant = StepVariant.ElectionYear,
    };
}

/// <summary>Which budget years a step takes part in.</summary>
public enum StepCondition
{
    /// <summary>Every year.</summary>
    Always,

    /// <summary>Only in an election-year cycle: the budget is adopted in a year with a general election.</summary>
    ElectionYear,

    /// <summary>Only in cycles that are not election-year cycles.</summary>
    OtherYears,
}

/// <summary>
/// What a step looks like in an election-year cycle (<c>"electionYear": { ... }</c> on the step): the fields given
/// replace the step's own. <see cref="Statutory"/> is null when the variant does not say.
/// </summary>
public sealed record StepVariant(string? Title, DateExpression? Opens, DateExpression? Due, (bool Deadline, string? Rule)? Statutory, string? Source, TextPosition Position)
{
    /// <summary>The name of the variant, as plans and the preview show it.</summary>
    public const string ElectionYear = "electionYear";
}

/// <summary>
/// How a definition handles an election-year cycle (<c>"electionYear": { "handling": ..., "source": ... }</c> on the
/// definition): shown with the plan of every election-year cycle.
/// </summary>
public sealed record ElectionHandling(string Handling, string Source);

/// <summary>Who does a step: a body (or <c>$body</c>, <c>$administration</c> in a fanned-out step) and optionally a role in it.</summary>
public sealed record Performer(string Body, string? Role, TextPosition Position);

/// <summary>Which bodies a step fans out over.</summary>
public enum FanOutScope
{
    /// <summary>The bodies listed in the definition.</summary>
    Listed,

    /// <summary><c>"committees"</c>: every nämnd (bodies of kind committee).</summary>
    Committees,

    /// <summary><c>"committeesAndBoard"</c>: "nämnder och styrelser", every nämnd and regionstyrelsen.</summary>
    CommitteesAndBoard,
}

/// <summary>"For each nämnd": one instance per body of <see cref="Scope"/> (or per listed body).</summary>
public sealed record FanOut(FanOutScope Scope, IReadOnlyList<string> Bodies, TextPosition Position)
{
    /// <summary>The ids of the bodies the step fans out over in <paramref name="organisation"/>, in its order.</summary>
    public IReadOnlyList<string> BodiesIn(Organisations.Organisation organisation) => Scope switch
    {
        FanOutScope.Committees => organisation.Committees.Select(b => b.Id).ToList(),
        FanOutScope.CommitteesAndBoard => organisation.CommitteesAndBoard.Select(b => b.Id).ToList(),
        _ => Bodies,
    };
}

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
