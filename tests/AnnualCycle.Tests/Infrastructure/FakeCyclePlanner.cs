using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// A hand-built plan of cycle 2027 for a small region: a staff step everything waits for, a kick-off meeting,
/// återkoppling and nämndplan fanned out over HSN and RUN (approved by the förvaltningsdirektör of HSF/RUF,
/// then by the nämnd), and a recurring månadsrapport. Overrides move a step's due date and shift every step
/// that depends on it by the same number of days, as the real planner's relative dates do.
/// </summary>
public sealed class FakeCyclePlanner : ICyclePlanner
{
    public const string OrganisationId = "region-test";
    public const string WorkflowId = "test-cycle";
    public const int Version = 3;
    private static readonly StockholmTime Stockholm = StockholmTime.Default;

    public static readonly Organisation Organisation = new(OrganisationId, "Region Test", "Europe/Stockholm",
    [
        new Body("RS", "Regionstyrelsen", BodyKind.Board, null, [new BodyRole("regiondirektor", "Regiondirektör")]),
        new Body("ES", "Ekonomistaben", BodyKind.Staff, null, []),
        new Body("HSN", "Hälso- och sjukvårdsnämnden", BodyKind.Committee, null, [new BodyRole("namnd", "Nämnden")]),
        new Body("RUN", "Regionala utvecklingsnämnden", BodyKind.Committee, null, [new BodyRole("namnd", "Nämnden")]),
        new Body("HSF", "Hälso- och sjukvårdsförvaltningen", BodyKind.Administration, "HSN", [new BodyRole("forvaltningsdirektor", "Förvaltningsdirektör")]),
        new Body("RUF", "Regional utveckling", BodyKind.Administration, "RUN", [new BodyRole("forvaltningsdirektor", "Förvaltningsdirektör")]),
    ], []);

    public int Calls { get; private set; }

    public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null)
    {
        // The fake has one version: Version.
        if (workflowId != WorkflowId || (version is { } v && v != Version))
        {
            throw new KeyNotFoundException(workflowId);
        }

        Calls++;
        var steps = new List<PlannedStep>
        {
            Task("forutsattningar", "ES", "planering", D(year - 1, 3, 2), D(year - 1, 4, 15), [], []),
            Meeting("kickoff", "RS", D(year - 1, 5, 4), D(year - 1, 5, 12), ["forutsattningar"]),
        };
        foreach (var (body, admin) in new[] { ("HSN", "HSF"), ("RUN", "RUF") })
        {
            PlannedApproval[] chain = [new(1, admin, "forvaltningsdirektor", "Förvaltningsdirektör"), new(2, body, "namnd", "Nämnden")];
            steps.Add(Task($"aterkoppling/{body}", body, "planering", D(year - 1, 4, 20), D(year - 1, 6, 5), ["forutsattningar"], chain));
            steps.Add(Task($"namndplan/{body}", body, "budget", D(year - 1, 10, 1), D(year - 1, 12, 15), [$"aterkoppling/{body}"], chain));
            for (var month = 1; month <= 2; month++)
            {
                steps.Add(Task($"manadsrapport#{month}/{body}", body, "uppfoljning", D(year, month + 1, 1), D(year, month + 1, 12), [], [new(1, admin, "forvaltningsdirektor", "Förvaltningsdirektör")], month));
            }
        }

        foreach (var (key, date) in overrides?.DueDates ?? new Dictionary<string, DateOnly>())
        {
            var index = steps.FindIndex(s => s.Key == key);
            var delta = Stockholm.DeadlineInstant(date) - steps[index].Due;
            steps[index] = Shift(steps[index], TimeSpan.Zero, delta);
            ShiftDependants(steps, key, delta);
        }

        return new CyclePlan(WorkflowId, Version, OrganisationId, year, steps, []);
    }

    private static void ShiftDependants(List<PlannedStep> steps, string key, TimeSpan delta)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].DependsOn.Contains(key))
            {
                steps[i] = Shift(steps[i], delta, delta);
                ShiftDependants(steps, steps[i].Key, delta);
            }
        }
    }

    private static PlannedStep Shift(PlannedStep s, TimeSpan opens, TimeSpan due) => s with
    {
        Opens = s.Opens + opens,
        Due = s.Due + due,
        Reminders = s.Reminders.Select(r => r + due).ToList(),
        OverdueNotices = s.OverdueNotices.Select(r => r + due).ToList(),
        Escalations = s.Escalations.Select(e => e with { At = e.At + due }).ToList(),
    };

    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static DateTimeOffset At8(DateOnly date) => Stockholm.ToInstant(date, new TimeOnly(8, 0));

    private static PlannedStep Task(string key, string body, string phase, DateOnly opens, DateOnly due, string[] dependsOn, PlannedApproval[] approvals, int? occurrence = null) => new(
        key, key.Split('/')[0].Split('#')[0], key, StepKind.Task, body, "contributor", occurrence, phase,
        At8(opens), Stockholm.DeadlineInstant(due), false, dependsOn, approvals,
        [At8(SwedishCalendar.AddWorkingDays(due, -5)), At8(due)],
        [At8(SwedishCalendar.AddWorkingDays(due, 1))],
        [new PlannedEscalation(At8(SwedishCalendar.AddWorkingDays(due, 3)), EscalationTarget.Director), new PlannedEscalation(At8(SwedishCalendar.AddWorkingDays(due, 6)), EscalationTarget.ProcessOwner)],
        "test");

    private static PlannedStep Meeting(string key, string body, DateOnly opens, DateOnly due, string[] dependsOn) => new(
        key, key, key, StepKind.Meeting, body, null, null, "planering", At8(opens), Stockholm.DeadlineInstant(due), false, dependsOn, [], [], [], [], "test");
}

public sealed class FakeWorkflowCatalog : IWorkflowCatalog
{
    public IReadOnlyList<WorkflowSummary> Workflows { get; } = [new(FakeCyclePlanner.WorkflowId, "Testcykel", 3, FakeCyclePlanner.OrganisationId, "test.json")];

    public IReadOnlyList<Organisation> Organisations { get; } = [FakeCyclePlanner.Organisation];

    public IReadOnlyList<string> Problems { get; } = [];

    public Organisation? FindOrganisation(string id) => Organisations.FirstOrDefault(o => o.Id == id);
}
