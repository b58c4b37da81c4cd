namespace AnnualCycle.Runtime.Cycles;

/// <summary>
/// A step as a command sees it: the step, its cycle and the approvals of its current round (tracked, so a decision
/// changes them in the same unit of work).
/// </summary>
public sealed record StepContext(StepInstanceEntity Step, CycleEntity Cycle, IReadOnlyList<ApprovalInstanceEntity> Round)
{
    /// <summary>The first pending approval of the round, or null when the chain is done (or the step has none).</summary>
    public ApprovalInstanceEntity? CurrentApproval => Round.Where(a => a.State == ApprovalState.Pending).MinBy(a => a.Order);

    /// <summary>What <paramref name="actor"/> may do with this step now (the one capability rule).</summary>
    public StepCapabilities CapabilitiesOf(Actor actor) => StepCapabilities.For(actor, Cycle.OrganisationId, Step, Round);

    /// <summary>The guard of a command: the authority to act with, or the refusal (404, 403 or 409).</summary>
    public StepAuthorization.Authority Require(Actor actor, StepAction action) => CapabilitiesOf(actor).Require(action, actor);

    public void Deconstruct(out StepInstanceEntity step, out CycleEntity cycle)
    {
        step = Step;
        cycle = Cycle;
    }
}

/// <summary>
/// The state changes several commands and timers share: open a step, resolve it (which may open its dependants),
/// and the notifications that go with them. The change itself is always <see cref="StepInstanceEntity.Apply"/>.
/// </summary>
public sealed class StepLifecycle(PeopleDirectory people, StockholmTime zone)
{
    public PeopleDirectory People => people;

    /// <summary>The local date (in the configured zone) of a UTC time: what "today" means for deputies and reminders.</summary>
    public DateOnly LocalDate(DateTime utc) => zone.LocalDate(utc);

    public async Task<StepContext> LoadAsync(AnnualCycleDbContext db, Guid stepId, CancellationToken ct)
    {
        var step = await db.StepInstances.FirstOrDefaultAsync(s => s.Id == stepId, ct)
            ?? throw new NotFoundException($"No step {stepId}.");
        var cycle = await db.Cycles.FirstAsync(c => c.Id == step.CycleId, ct);
        var round = await db.Approvals.Where(a => a.StepInstanceId == step.Id && a.Round == step.Round).OrderBy(a => a.Order).ToListAsync(ct);
        return new StepContext(step, cycle, round);
    }

    /// <summary>For a lost race: re-read the step and report what was actually found (409).</summary>
    public static Func<Task<Exception>> ConflictReporter(AnnualCycleDbContext db, Guid stepId, StepAction action) => async () =>
    {
        var found = await db.StepInstances.AsNoTracking().Where(s => s.Id == stepId).Select(s => new { s.Key, s.State }).FirstOrDefaultAsync();
        return found is null
            ? new NotFoundException($"No step {stepId}.")
            : new IllegalTransitionException($"Step {found.Key}", found.State.ToString(), StepTransitions.TargetName(action), "someone else changed it at the same time");
    };

    /// <summary>
    /// The guard of approve and return: the authority and the approval to decide. A step that reads as Submitted with no
    /// pending approval lost a race to another decision: that is reported as the state is now, not as it was first read.
    /// </summary>
    public static async Task<(StepAuthorization.Authority Authority, ApprovalInstanceEntity Approval)> RequireDecisionAsync(
        AnnualCycleDbContext db, StepContext context, Actor actor, StepAction action)
    {
        if (context.Step.State == StepState.Submitted && context.CurrentApproval is null)
        {
            throw await ConflictReporter(db, context.Step.Id, action)();
        }

        var authority = context.Require(actor, action);
        return (authority, context.CurrentApproval!);
    }

    internal async Task OpenAsync(EngineWork work, CycleEntity cycle, StepInstanceEntity step, string actorUserId, CancellationToken ct)
    {
        step.Apply(StepAction.Open, actorUserId, null, null, work);
        var contributors = await ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
        work.Notify(EmailKind.StepOpened, step, contributors, u => $"opened:{step.Id}:{u}");
    }

    /// <summary>
    /// Resolves a step (<see cref="StepAction.Complete"/>, <see cref="StepAction.Confirm"/>, <see cref="StepAction.Skip"/> or
    /// <see cref="StepAction.Cancel"/>): its pending timers stop and every dependant whose open time has passed and whose
    /// other dependencies are resolved opens. A completion is told to the body's contributors.
    /// </summary>
    internal async Task ResolveAsync(EngineWork work, CycleEntity cycle, StepInstanceEntity step, StepAction action, string actorUserId, string? onBehalfOf, string? comment, CancellationToken ct, MeetingDecision? decision = null)
    {
        step.Apply(action, actorUserId, onBehalfOf, comment, work, decision: decision);
        if (step.State == StepState.Completed)
        {
            var recipients = await ContributorsWithDeputiesAsync(cycle, step, work.Now, ct);
            work.Notify(EmailKind.Completed, step, recipients, u => $"completed:{step.Id}:{u}");
        }

        await CancelPendingTimersAsync(work.Db, step.Id, ct);
        await OpenReadyDependantsAsync(work, cycle, step.Key, ct);
    }

    /// <summary>After <paramref name="resolvedKey"/> is resolved: opens the planned steps waiting for it that are now free to open.</summary>
    internal async Task OpenReadyDependantsAsync(EngineWork work, CycleEntity cycle, string resolvedKey, CancellationToken ct)
    {
        var steps = await work.Db.StepInstances.Where(s => s.CycleId == cycle.Id).ToListAsync(ct);
        var stateByKey = steps.ToDictionary(s => s.Key, s => s.State, StringComparer.Ordinal);
        foreach (var dependant in steps.Where(s => s.State == StepState.Planned && s.DependsOnKeys().Contains(resolvedKey) && s.OpensAtUtc <= work.Now))
        {
            if (DependenciesResolved(dependant, stateByKey))
            {
                await OpenAsync(work, cycle, dependant, Actor.System.UserId, ct);
            }
        }

        // The tracked instances carry this unit of work's changes, so the step just resolved counts as resolved.
        if (cycle.Status == CycleStatus.Running && steps.All(s => StepTransitions.IsResolved(s.State)))
        {
            cycle.Status = CycleStatus.Completed;
            cycle.Version++;
            work.Journal(cycle.Id, actorUserId: Actor.System.UserId, null, "CycleCompleted", null, nameof(CycleStatus.Running), nameof(CycleStatus.Completed), null, cycle.Name);
        }
    }

    public static bool DependenciesResolved(StepInstanceEntity step, IReadOnlyDictionary<string, StepState> stateByKey) =>
        step.DependsOnKeys().All(k => !stateByKey.TryGetValue(k, out var state) || StepTransitions.IsResolved(state));

    public async Task<bool> DependenciesResolvedAsync(AnnualCycleDbContext db, StepInstanceEntity step, CancellationToken ct)
    {
        var keys = step.DependsOnKeys();
        if (keys.Count == 0)
        {
            return true;
        }

        var states = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == step.CycleId && keys.Contains(s.Key)).Select(s => s.State).ToListAsync(ct);
        return states.All(StepTransitions.IsResolved);
    }

    public static Task<int> CancelPendingTimersAsync(AnnualCycleDbContext db, Guid stepId, CancellationToken ct) =>
        db.Timers.Where(t => t.StepInstanceId == stepId && t.State == TimerState.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.State, TimerState.Cancelled), ct);

    public async Task<List<string>> ContributorsWithDeputiesAsync(CycleEntity cycle, StepInstanceEntity step, DateTime now, CancellationToken ct) =>
        await people.WithDeputiesAsync(await people.ContributorsAsync(cycle.OrganisationId, step.BodyId, ct), LocalDate(now), ct);

    public async Task<List<string>> ApproversWithDeputiesAsync(CycleEntity cycle, ApprovalInstanceEntity approval, DateTime now, CancellationToken ct) =>
        await people.WithDeputiesAsync(await people.HoldersAsync(cycle.OrganisationId, approval.BodyId, approval.Role, ct), LocalDate(now), ct);

    /// <summary>The current round's first pending approval, or null when the chain is done.</summary>
    public static Task<ApprovalInstanceEntity?> CurrentApprovalAsync(AnnualCycleDbContext db, StepInstanceEntity step, CancellationToken ct) =>
        db.Approvals.Where(a => a.StepInstanceId == step.Id && a.Round == step.Round && a.State == ApprovalState.Pending)
            .OrderBy(a => a.Order).FirstOrDefaultAsync(ct);

    internal async Task RequestApprovalAsync(EngineWork work, CycleEntity cycle, StepInstanceEntity step, ApprovalInstanceEntity approval, CancellationToken ct)
    {
        var approvers = await ApproversWithDeputiesAsync(cycle, approval, work.Now, ct);
        work.Notify(EmailKind.ApprovalRequested, step, approvers, u => $"approval:{approval.Id}:{u}");
    }
}
