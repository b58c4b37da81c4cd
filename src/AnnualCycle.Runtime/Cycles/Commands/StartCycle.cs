namespace AnnualCycle.Runtime.Cycles.Commands;

/// <param name="Late">What to do with the steps whose deadlines have already passed (see <see cref="LateStart"/>); none: they open late.</param>
public sealed record StartCycleCommand(string? OrganisationId, string? WorkflowId, int Year, LateStartDecisions? Late = null);

/// <summary>What a start would do, saving nothing: the cycle's plan version and every step whose deadline has passed.</summary>
public sealed record StartCheckDto(string OrganisationId, string WorkflowId, int WorkflowVersion, int Year, int Steps, IReadOnlyList<PassedStepDto> PassedSteps);

/// <summary>
/// A process owner starts a cycle: every step instance with its resolved dates, approvals and timers in one
/// transaction. At most one cycle per organisation, definition and year (409, also when two starts race:
/// the unique index decides). A cycle started late opens at once every step whose open time has passed and
/// that waits for nothing unresolved, and records no catch-up reminders. The steps whose deadlines have passed are
/// listed before the start (<see cref="CheckAsync"/>) and in its answer; the process owner marks them done, skips them or
/// moves them (<see cref="StartCycleCommand.Late"/>), else they open late and their emails say so.
/// </summary>
public sealed class StartCycleHandler(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, TimerScheduler scheduler, ICyclePlanner planner, IWorkflowCatalog catalog, AnnualCycle.Domain.Calendar.StockholmTime zone, ILogger<StartCycleHandler>? logger = null)
{
    /// <summary>The dry run of a start: the same checks and decisions, nothing saved.</summary>
    public async Task<StartCheckDto> CheckAsync(Actor actor, StartCycleCommand command, CancellationToken ct = default)
    {
        var (_, plan, late) = await PrepareAsync(actor, command, ct);
        return new StartCheckDto(plan.OrganisationId, plan.WorkflowId, plan.WorkflowVersion, command.Year, plan.Steps.Count, late.Describe());
    }

    public async Task<CycleSummaryDto> HandleAsync(Actor actor, StartCycleCommand command, CancellationToken ct = default)
    {
        var (authority, plan, late) = await PrepareAsync(actor, command, ct);
        var name = catalog.Workflows.FirstOrDefault(w => w.Id == plan.WorkflowId)?.Name ?? plan.WorkflowId;
        logger?.LogInformation("Starting cycle {WorkflowId} {Year} of {OrganisationId}: {Steps} step instances", plan.WorkflowId, command.Year, plan.OrganisationId, plan.Steps.Count);
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
                OverridesJson = late.Moves.Count == 0 ? "{}" : new CycleOverrides { Due = new(late.Moves, StringComparer.Ordinal) }.ToJson(),
            };
            db.Cycles.Add(cycle);
            work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "CycleStarted", null, null, nameof(CycleStatus.Running), $"{plan.WorkflowId} v{plan.WorkflowVersion}, {plan.Steps.Count} steps", cycle.Name);
            if (late.Summary() is { } passed)
            {
                work.Journal(cycle.Id, actor.UserId, authority.OnBehalfOfUserId, "LateStartDecided", null, null, null, passed, cycle.Name);
            }

            // Thousands of rows for a large region: written in bulk at save (EngineWork.Insert), not tracked one by one.
            var steps = new List<StepInstanceEntity>(plan.Steps.Count);
            var approvals = new List<ApprovalInstanceEntity>();
            var timers = new List<TimerEntity>(plan.Steps.Count * 10);
            foreach (var planned in plan.Steps)
            {
                var step = StepInstanceEntity.FromPlan(cycle.Id, planned);
                steps.Add(step);
                approvals.AddRange(planned.Approvals.Select(a => ApprovalInstanceEntity.Pending(step, a)));
                if (!late.StartsResolved(planned.Key))
                {
                    timers.AddRange(TimerFactory.For(step, planned, work.Now));
                }
            }

            work.Insert(steps);
            work.Insert(approvals);
            work.Insert(timers);

            // Late start: what the process owner marked done or skipped is resolved first; then open what is already
            // due to open and waits for nothing unresolved.
            late.Apply(actor, cycle.OrganisationId, steps, work);
            var stateByKey = steps.ToDictionary(s => s.Key, s => s.State, StringComparer.Ordinal);
            foreach (var step in steps.Where(s => s.State == StepState.Planned && s.OpensAtUtc <= work.Now && StepLifecycle.DependenciesResolved(s, stateByKey)))
            {
                await lifecycle.OpenAsync(work, cycle, step, Actor.System.UserId, ct);
            }

            return cycle;
        }, null, ct);

        await scheduler.EnsureScheduledAsync(ct);
        var passed = late.Describe();
        return new CycleSummaryDto(cycle.Id, cycle.OrganisationId, cycle.WorkflowId, cycle.WorkflowVersion, cycle.Year, cycle.Name, cycle.Status.ToString(), cycle.StartedAtUtc,
            new ProgressDto(plan.Steps.Count, passed.Count(p => p.Decision == "done"), passed.Count(p => p.Decision == "skip"), 0, 0, 0)) { PassedSteps = passed };
    }

    private async Task<(StepAuthorization.Authority Authority, CyclePlan Plan, LateStart Late)> PrepareAsync(Actor actor, StartCycleCommand command, CancellationToken ct)
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

        var late = LateStart.Decide(plan, clock.GetUtcNow().UtcDateTime, command.Late, zone);
        if (late.Moves.Count > 0)
        {
            // Moved deadlines re-plan the cycle as a reschedule would: what follows from a moved step moves with it.
            try
            {
                plan = planner.Plan(plan.WorkflowId, command.Year, new PlanOverrides(late.Moves), plan.WorkflowVersion);
            }
            catch (AnnualCycle.Domain.Definitions.PlanningException ex)
            {
                // The plan resolved a moment ago, so the meeting calendar changed meanwhile (an import): as a reschedule
                // says, the cycle's plan, not the request, is at fault.
                throw new PlanUnresolvableException($"The cycle's dates cannot be planned with the moved deadlines: {ex.Message}", ex.Message);
            }
        }

        return (authority, plan, late);
    }
}
