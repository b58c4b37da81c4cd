using System.Globalization;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Runtime.Definitions;

/// <summary>
/// The preview of a cycle as the CLI (<c>preview --json</c>) and the API (<c>GET /api/v1/workflows/{id}/preview</c>)
/// show it: instants as ISO 8601 local Stockholm time with offset, e.g. <c>2027-11-24T23:59:00+01:00</c>.
/// </summary>
/// <param name="AppliesTo">The budget years the definition version plans ("2023", "2025–"), null when it does not say.</param>
public sealed record CyclePlanView(string Workflow, int Version, string Organisation, int Year, IReadOnlyList<PlannedStepView> Steps, IReadOnlyList<WarningView> Warnings, string? AppliesTo)
{
    public static CyclePlanView From(CyclePlan plan, StockholmTime? time = null)
    {
        time ??= StockholmTime.Default;
        string Local(DateTimeOffset instant) => time.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var steps = plan.Steps.Select(s => new PlannedStepView(
            s.Key, s.StepId, s.Title, s.Kind.ToString().ToLowerInvariant(), s.BodyId, s.PerformerBodyId ?? s.BodyId, s.Role, s.Occurrence, s.Phase,
            Local(s.Opens), Local(s.Due), s.Statutory, s.DependsOn,
            s.Approvals.Select(a => new ApprovalView(a.Order, a.BodyId, a.Role, a.Title)).ToList(),
            s.Reminders.Select(Local).ToList(),
            s.OverdueNotices.Select(Local).ToList(),
            s.Escalations.Select(e => new EscalationView(Local(e.At), e.Target == EscalationTarget.Director ? "director" : "processOwner")).ToList(),
            s.Source,
            s.PeriodEnd?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            s.StatutoryRule,
            s.Statute)).ToList();
        var warnings = plan.Warnings.Select(w => new WarningView(w.Rule, w.Message, w.Source, w.StepKey)).ToList();
        return new CyclePlanView(plan.WorkflowId, plan.WorkflowVersion, plan.OrganisationId, plan.Year, steps, warnings, plan.AppliesTo);
    }
}

/// <param name="PeriodEnd">The last day (yyyy-MM-dd) of the period a report covers; null for steps that are not reports.</param>
/// <param name="StatutoryRule">The statutory check the step's date is held to (e.g. <c>budget</c>); null if none.</param>
/// <param name="Statute">The law behind <paramref name="StatutoryRule"/>.</param>
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
    string? Statute);

public sealed record ApprovalView(int Order, string Body, string Role, string Title);

public sealed record EscalationView(string At, string Target);

public sealed record WarningView(string Rule, string Message, string Source, string? StepKey);
