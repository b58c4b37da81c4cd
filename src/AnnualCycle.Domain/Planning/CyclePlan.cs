namespace AnnualCycle.Domain.Planning;

/// <summary>What a step is. Meetings and milestones complete when confirmed; tasks are submitted and approved.</summary>
public enum StepKind
{
    Task,
    Approval,
    Meeting,
    Milestone,
    Decision,
}

/// <summary>
/// A workflow definition resolved for one organisation and one budget year: every step instance with
/// its instants. This is the contract between the definitions (which produce it) and the runtime
/// (which starts a cycle from it). All instants are UTC-comparable <see cref="DateTimeOffset"/>s.
/// </summary>
public sealed record CyclePlan(
    string WorkflowId,
    int WorkflowVersion,
    string OrganisationId,
    int Year,
    IReadOnlyList<PlannedStep> Steps,
    IReadOnlyList<StatutoryWarning> Warnings)
{
    /// <summary>The budget years the definition version applies to, as text ("2023", "2025–"); null when it does not say.</summary>
    public string? AppliesTo { get; init; }

    /// <summary>Set when the budget is adopted in an election year (the year before the budget year): the election and how the definition handles it.</summary>
    public ElectionInfo? Election { get; init; }

    /// <summary>
    /// Only when planned with <see cref="PlanOverrides.ReportUnresolved"/>: the step instances whose dates could not be
    /// resolved (and every instance that takes a date from one of them or waits for one), left out of <see cref="Steps"/>.
    /// </summary>
    public IReadOnlyList<UnresolvedStep> Unresolved { get; init; } = [];
}

/// <summary>A step instance a plan could not give dates to.</summary>
/// <param name="Problem">Why, in Swedish where the planner knows the cause (e.g. a meeting missing from the sammanträdesplan).</param>
public sealed record UnresolvedStep(string Key, string Title, string BodyId, string Problem);

/// <summary>An election-year cycle: the general election, when the new fullmäktige take office, and what the definition does about it.</summary>
/// <param name="Year">The election year (the year before the budget year).</param>
/// <param name="Handling">The definition's own description of its election-year handling; null when it has none.</param>
/// <param name="Source">Where that handling comes from.</param>
/// <param name="StepKeys">The step instances that exist or look different because it is an election year.</param>
public sealed record ElectionInfo(int Year, DateOnly ElectionDay, DateOnly NewAssemblyFrom, string? Handling, string? Source, IReadOnlyList<string> StepKeys);

/// <summary>One step instance of a plan.</summary>
/// <param name="Key">Unique in the cycle and stable across re-planning: the step id, plus <c>#n</c> for the
/// n-th occurrence of a recurring step, plus <c>/BODY</c> for a fanned-out step, e.g. <c>manadsrapport#3/HSN</c>.</param>
/// <param name="StepId">The step's id in the definition.</param>
/// <param name="Title">Swedish title; for an occurrence it names the period ("Månadsrapport per mars").</param>
/// <param name="BodyId">The body that does the step (the fan-out body for a fanned-out step).</param>
/// <param name="Role">The role in that body that does it, when the definition names one.</param>
/// <param name="Occurrence">1-based occurrence number of a recurring step.</param>
/// <param name="Phase">planering, budget or uppfoljning: groups progress on the dashboard.</param>
/// <param name="Opens">When the step opens (it also waits for <paramref name="DependsOn"/>).</param>
/// <param name="Due">The deadline instant: 23:59 local time on the due date.</param>
/// <param name="Statutory">Deadline set by law (shown with §); like every deadline it is planned on or before a day off, never after.</param>
/// <param name="DependsOn">Keys of the step instances this one waits for.</param>
/// <param name="Approvals">The sign-off chain, in order.</param>
/// <param name="Reminders">Reminder instants before due (08:00 local on working days unless the definition says otherwise).</param>
/// <param name="OverdueNotices">Overdue notice instants after due.</param>
/// <param name="Escalations">Escalations after due, in order: first the förvaltning's director, then the process owner.</param>
/// <param name="Source">Citation of the seed passage the step comes from.</param>
public sealed record PlannedStep(
    string Key,
    string StepId,
    string Title,
    StepKind Kind,
    string BodyId,
    string? Role,
    int? Occurrence,
    string Phase,
    DateTimeOffset Opens,
    DateTimeOffset Due,
    bool Statutory,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<PlannedApproval> Approvals,
    IReadOnlyList<DateTimeOffset> Reminders,
    IReadOnlyList<DateTimeOffset> OverdueNotices,
    IReadOnlyList<PlannedEscalation> Escalations,
    string? Source)
{
    /// <summary>
    /// The body whose <see cref="Role"/> does the work, when it differs from <see cref="BodyId"/>: a fanned-out step
    /// done by the nämnd's förvaltning (<c>$administration</c>) has BodyId <c>HSN</c> and PerformerBodyId <c>HSF</c>.
    /// Null means <see cref="BodyId"/>.
    /// </summary>
    public string? PerformerBodyId { get; init; }

    /// <summary>The last day of the period a report covers (a delårsrapport's 31 August, a månadsrapport's month end); null for other steps.</summary>
    public DateOnly? PeriodEnd { get; init; }

    /// <summary>The id of the statutory rule the step's date is checked against (e.g. <c>budget</c>), if any.</summary>
    public string? StatutoryRule { get; init; }

    /// <summary>The law behind <see cref="StatutoryRule"/>, e.g. "Kommunallagen (2017:725) 11 kap. 10 §".</summary>
    public string? Statute { get; init; }

    /// <summary><c>electionYear</c> when the step exists or looks as it does because the budget is adopted in an election year; null otherwise.</summary>
    public string? Variant { get; init; }
}

/// <summary>One sign-off in a step's chain: the holder of <paramref name="Role"/> in <paramref name="BodyId"/>.</summary>
public sealed record PlannedApproval(int Order, string BodyId, string Role, string Title);

public enum EscalationTarget
{
    /// <summary>The director of the förvaltning serving the step's body.</summary>
    Director,

    /// <summary>The organisation's process owner(s).</summary>
    ProcessOwner,
}

public sealed record PlannedEscalation(DateTimeOffset At, EscalationTarget Target);

/// <summary>A statutory check that a cycle's dates do not meet, with its legal source.</summary>
public sealed record StatutoryWarning(string Rule, string Message, string Source, string? StepKey);

/// <summary>Process-owner changes applied on top of a definition when re-planning (rescheduling).</summary>
/// <param name="DueDates">New due dates by step key; dates of steps that depend on them follow.</param>
public sealed record PlanOverrides(IReadOnlyDictionary<string, DateOnly> DueDates)
{
    public static readonly PlanOverrides None = new(new Dictionary<string, DateOnly>());

    /// <summary>
    /// Open and due dates by step key that stand as given, without resolving the step's date expressions: the steps of a
    /// running cycle that are already resolved (completed, skipped, cancelled) keep the dates they had, so a later change
    /// of the sammanträdesplan neither moves them nor leaves the steps that follow them without a date.
    /// Keys the plan does not have are ignored.
    /// </summary>
    public IReadOnlyDictionary<string, (DateOnly Opens, DateOnly Due)> Fixed { get; init; } = new Dictionary<string, (DateOnly Opens, DateOnly Due)>();

    /// <summary>
    /// False (the default): the first date that cannot be resolved fails the plan with a <c>PlanningException</c>. True: the
    /// plan goes on and names each such step in <see cref="CyclePlan.Unresolved"/> (what an import's dry run needs to list).
    /// </summary>
    public bool ReportUnresolved { get; init; }
}

/// <summary>Resolves a loaded definition for a year. Throws <see cref="KeyNotFoundException"/> for an unknown id or version.</summary>
public interface ICyclePlanner
{
    /// <param name="version">The definition version to plan with: a running cycle's own (it keeps the version it
    /// started with); null picks the version that applies to <paramref name="year"/>.</param>
    CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null);
}

/// <summary>The loaded definitions and organisations, with the problems of those that did not load.</summary>
public interface IWorkflowCatalog
{
    IReadOnlyList<WorkflowSummary> Workflows { get; }

    IReadOnlyList<Organisations.Organisation> Organisations { get; }

    /// <summary>One line per problem, <c>path:line:column: message</c>, for every file that did not load.</summary>
    IReadOnlyList<string> Problems { get; }

    Organisations.Organisation? FindOrganisation(string id);
}

public sealed record WorkflowSummary(string Id, string Name, int Version, string OrganisationId, string File);
