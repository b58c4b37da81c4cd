using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Cycles.Timers;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Commands;

public sealed record StartCycleCommand(string? OrganisationId, string? WorkflowId, int Year);

/// <summary>
/// A process owner starts a cycle: every step instance with its resolved dates, approvals and timers in one
/// transaction. At most one cycle per organisation, definition and year (409, also when two starts race:
/// the unique index decides). A cycle started late opens at once every step whose open time has passed and
/// that waits for nothing, and records no catch-up reminders.
/// </summary>
public sealed class StartCycleHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, TimerScheduler scheduler, ICyclePlanner planner, IWorkflowCatalog catalog)
{
    public async Task<CycleSummaryDto> HandleAsync(Actor actor, StartCycleCommand command, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(command.OrganisationId))
        {
            throw new InputException("organisationId", "is required");
        }

        if (string.IsNullOrWhiteSpace(command.WorkflowId))
        {
            throw new InputException("workflowId", "is required");
        }

        BudgetYears.Require(command.Year);

        var authority = StepAuthorization.RequireProcessOwner(actor, command.OrganisationId);
        CyclePlan plan;
        try
        {
            plan = planner.Plan(command.WorkflowId, command.Year, PlanOverrides.None);
        }
        catch (KeyNotFoundException)
        {
            throw new NotFoundException($"No workflow definition {command.WorkflowId}.");
        }
        catch (AnnualCycle.Domain.Definitions.PlanningException ex)
        {
            // No version of the definition applies to the year, or the sammanträdesplan does not cover it.
            throw new InputException("year", ex.Message);
        }

        if (!string.Equals(plan.OrganisationId, command.OrganisationId, StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException("workflowId", $"belongs to organisation {plan.OrganisationId}, not {command.OrganisationId}");
        }

        if (await db.Cycles.AnyAsync(c => c.OrganisationId == plan.OrganisationId && c.WorkflowId == plan.WorkflowId && c.Year == command.Year, ct))
        {
            throw new ConflictException($"A cycle of {plan.WorkflowId} for {command.Year} already exists in {plan.OrganisationId}.");
        }

        var name = catalog.Workflows.FirstOrDefault(w => w.Id == plan.WorkflowId)?.Name ?? plan.WorkflowId;
        var cycle = await EngineWork.RunAsync(db, clock, async work =>
        {
            var cycle = new CycleEntity
            {
                Id = Guid.NewGuid(),
                OrganisationId = plan.OrganisationId,
                WorkflowId = plan.WorkflowId,
                WorkflowVersion = plan.WorkflowVersion,
                Year = command.Year,
                Name = $"{name} {command.Year}",
                StartedAtUtc = work.Now,
                StartedByUserId = actor.UserId,
                Status = CycleStatus.Running,
            };
            db.Cycles.Add(cycle);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "CycleStarted", null, null, nameof(CycleStatus.Running), $"{plan.WorkflowId} v{plan.WorkflowVersion}, {plan.Steps.Count} steps", cycle.Name);

            var steps = new List<StepInstanceEntity>();
            foreach (var planned in plan.Steps)
            {
                var step = NewStep(cycle.Id, planned);
                steps.Add(step);
                db.StepInstances.Add(step);
                db.Approvals.AddRange(planned.Approvals.Select(a => NewApproval(step, a)));
                db.Timers.AddRange(TimerFactory.For(step, planned, work.Now));
            }

            // Late start: open what is already due to open and waits for nothing.
            foreach (var step in steps.Where(s => s.OpensAtUtc <= work.Now && s.DependsOnKeys().Count == 0))
            {
                await lifecycle.OpenAsync(work, cycle, step, Actor.System.UserId, ct);
            }

            return cycle;
        }, null, ct);

        await scheduler.EnsureScheduledAsync(ct);
        return new CycleSummaryDto(cycle.Id, cycle.OrganisationId, cycle.WorkflowId, cycle.WorkflowVersion, cycle.Year, cycle.Name, cycle.Status.ToString(), cycle.StartedAtUtc,
            new ProgressDto(plan.Steps.Count, 0, 0, 0, 0, 0));
    }

    internal static StepInstanceEntity NewStep(Guid cycleId, PlannedStep planned) => new()
    {
        Id = Guid.NewGuid(),
        CycleId = cycleId,
        Key = planned.Key,
        StepId = planned.StepId,
        Title = planned.Title,
        Kind = planned.Kind,
        BodyId = planned.BodyId,
        Role = planned.Role,
        Phase = planned.Phase,
        Occurrence = planned.Occurrence,
        OpensAtUtc = planned.Opens.UtcDateTime,
        DueAtUtc = planned.Due.UtcDateTime,
        Statutory = planned.Statutory,
        DependsOn = string.Join('\n', planned.DependsOn),
    };

    internal static ApprovalInstanceEntity NewApproval(StepInstanceEntity step, PlannedApproval a) => new()
    {
        Id = Guid.NewGuid(),
        StepInstanceId = step.Id,
        Round = step.Round,
        Order = a.Order,
        BodyId = a.BodyId,
        Role = a.Role,
        Title = a.Title,
        State = ApprovalState.Pending,
    };
}
