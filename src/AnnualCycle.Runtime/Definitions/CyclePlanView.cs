namespace AnnualCycle.Runtime.Definitions;

/// <summary>
/// The preview of a cycle as the CLI (<c>preview --json</c>) and the API (<c>GET /api/v1/workflows/{id}/preview</c>)
/// show it: instants as ISO 8601 local Stockholm time with offset, e.g. <c>2027-11-24T23:59:00+01:00</c>.
/// </summary>
/// <param name="AppliesTo">The budget years the definition version plans ("2023", "2025–"), null when it does not say.</param>
/// <param name="Election">Set when the budget is adopted in an election year: the election and the definition's handling of it.</param>
public sealed record CyclePlanView(string Workflow, int Version, string Organisation, int Year, IReadOnlyList<PlannedStepView> Steps, IReadOnlyList<WarningView> Warnings, string? AppliesTo, ElectionView? Election)
{
    /// <param name="plan">The plan.</param>
    /// <param name="time">The organisation's zone (the configured one): instants are shown as its local time.</param>
    public static CyclePlanView From(CyclePlan plan, StockholmTime time)
    {
        string Local(DateTimeOffset instant) => time.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var steps = plan.Steps.Select(s => new PlannedStepView(
            s.Key, s.StepId, s.Title, s.Kind.ToString().ToLowerInvariant(), s.BodyId, s.PerformerBodyId ?? s.BodyId, s.Role, s.Occurrence, s.Phase,
            Local(s.Opens), Local(s.Due), s.Statutory, s.DependsOn,
            s.Approvals.Select(a => new ApprovalView(a.Order, a.BodyId, a.Role, a.Title)).ToList(),
            s.Reminders.Select(Local).ToList(),
            s.OverdueNotices.Select(Local).ToList(),
            s.Escalations.Select(e => new EscalationView(Local(e.At), e.Target == EscalationTarget.Director ? "director" : "processOwner")).ToList(),
            s.Source,
            s.PeriodEnd is { } end ? Date(end) : null,
            s.StatutoryRule,
            s.Statute,
            s.Variant)).ToList();
        var warnings = plan.Warnings.Select(w => new WarningView(w.Rule, w.Message, w.Source, w.StepKey)).ToList();
        var election = plan.Election is { } e
            ? new ElectionView(e.Year, Date(e.ElectionDay), Date(e.NewAssemblyFrom), e.Handling, e.Source, e.StepKeys)
            : null;
        return new CyclePlanView(plan.WorkflowId, plan.WorkflowVersion, plan.OrganisationId, plan.Year, steps, warnings, plan.AppliesTo, election);
    }
}

/// <param name="PeriodEnd">The last day (yyyy-MM-dd) of the period a report covers; null for steps that are not reports.</param>
/// <param name="StatutoryRule">The statutory check the step's date is held to (e.g. <c>budget</c>); null if none.</param>
/// <param name="Statute">The law behind <paramref name="StatutoryRule"/>.</param>
/// <param name="Variant"><c>electionYear</c> when the step exists or looks as it does because the budget is adopted in an election year.</param>
public sealed record PlannedStepView(
    string Key,
    string StepId,
    string Title,
    string Kind,
    string Body,
    string PerformedBy,
    string? Role,
    int? Occurrence,
    string Phase,
    string Opens,
    string Due,
    bool Statutory,
    IReadOnlyList<string> DependsOn,
    IReadOnlyList<ApprovalView> Approvals,
    IReadOnlyList<string> Reminders,
    IReadOnlyList<string> OverdueNotices,
    IReadOnlyList<EscalationView> Escalations,
    string? Source,
    string? PeriodEnd,
    string? StatutoryRule,
    string? Statute,
    string? Variant);

/// <summary>An election-year cycle: the election year and day, when the new fullmäktige take office, the definition's handling and the steps it adds or changes.</summary>
public sealed record ElectionView(int Year, string ElectionDay, string NewAssemblyFrom, string? Handling, string? Source, IReadOnlyList<string> Steps);

public sealed record ApprovalView(int Order, string Body, string Role, string Title);

public sealed record EscalationView(string At, string Target);

public sealed record WarningView(string Rule, string Message, string Source, string? StepKey);
