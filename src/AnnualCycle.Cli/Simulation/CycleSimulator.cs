using AnnualCycle.Domain.Errors;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Runtime.People;

namespace AnnualCycle.Cli.Simulation;

/// <summary>
/// What to simulate: the cycle of <see cref="Year"/> started at <see cref="From"/>, walked to <see cref="Until"/>; with
/// <see cref="Years"/> &gt; 1 also the cycles of the years before it, the first started at <see cref="From"/> and each next
/// one a year later, so their history can be compared (the lead-time report).
/// </summary>
public sealed record SimulationRequest(string OrganisationId, string WorkflowId, int Year, DateTimeOffset From, DateTimeOffset Until, IReadOnlySet<string> LeaveUndone, int Years = 1)
{
    public int FirstYear => Year - Years + 1;

    /// <summary>When the cycle of <paramref name="year"/> is started: <see cref="From"/> plus a year per year after the first.</summary>
    public DateTimeOffset StartOf(int year) => From.AddYears(year - FirstYear);
}

/// <summary>One line of the timeline: a journal entry (opened, reminder, overdue, escalated, submitted, approved, completed ...) or a note.</summary>
public sealed record TimelineEvent(DateTime AtUtc, string Event, string? StepKey, string? BodyId, string? Actor, string? Detail);

/// <summary>One outbox row as it ended: who it went to, about what, and its Message-ID.</summary>
public sealed record SimulatedEmail(Guid OutboxId, string MessageId, string Kind, string State, string RecipientUserId, string? RecipientEmail, string? StepKey, string? BodyId, DateTime CreatedAtUtc, DateTime? SentAtUtc);

/// <summary>One step as it ended.</summary>
public sealed record SimulatedStep(string Key, string Title, string Kind, string BodyId, string State, DateTime DueAtUtc, DateTime? CompletedAtUtc, bool LeftUndone);

/// <param name="CycleId">The cycle of the request's year (the last one).</param>
/// <param name="LeadTimes">The process's lead times per step and body, year over year, as the process owner's page shows them.</param>
public sealed record SimulationResult(Guid CycleId, IReadOnlyList<TimelineEvent> Timeline, IReadOnlyList<SimulatedEmail> Emails, IReadOnlyList<SimulatedStep> Steps, DateTime EndedAtUtc,
    AnnualCycle.Runtime.Reports.LeadTimeReport? LeadTimes = null);

/// <summary>
/// Walks a cycle through simulated time, as <c>WholeCycleEmailTests</c> does with a fake clock: the clock jumps to the
/// next pending timer (and a second past it) or to the moment a step's people act, whichever comes first; then the
/// timer dispatcher fires what is due and the outbox dispatcher sends what was recorded, as the minute sweeps would.
/// The demo users act on each open step at 12:59 on its due day, after the due-day reminder and before the deadline:
/// a contributor of the body submits and each approval is decided by a holder of its role who did not submit; a
/// meeting, milestone or decision is confirmed by a contributor of the body or else the process owner. A task of a
/// body no demo user contributes to is skipped by the process owner, so what waits for it can open. The steps of
/// the bodies left undone are never touched: their overdue notices and escalations go out. With several years, the people
/// are slower in every year but the last: they act at 12:59 two working days after the due date (after the overdue notice),
/// so the lead-time report shows the process getting faster.
/// </summary>
public sealed class CycleSimulator(SimulationEnvironment env)
{
    private const int MaxMoves = 20_000;

    private readonly List<TimelineEvent> _timeline = [];
    private int _paragraph;
    private readonly HashSet<Guid> _givenUp = [];
    private readonly Dictionary<Guid, StepInstanceEntity> _stepsById = [];
    private long _journalSeen;

    public async Task<SimulationResult> RunAsync(SimulationRequest request, CancellationToken ct = default)
    {
        var processOwner = await UserIdAsync("processagare@demo.local", ct);
        // Budget year by cycle id, of the cycles started so far; the next years wait for their start.
        var cycles = new Dictionary<Guid, int>();
        var toStart = new Queue<int>(Enumerable.Range(request.FirstYear, request.Years));
        async Task StartNextAsync()
        {
            var year = toStart.Dequeue();
            var started = await InScopeAsync(async sp =>
            {
                var actor = await sp.GetRequiredService<IActorAccessor>().GetByUserIdAsync(processOwner, ct);
                return await sp.GetRequiredService<StartCycleHandler>().HandleAsync(actor, new StartCycleCommand(request.OrganisationId, request.WorkflowId, year), ct);
            });
            cycles[started.Id] = year;
            await AfterMoveAsync(ct);
        }

        await StartNextAsync();
        var until = request.Until.UtcDateTime;
        for (var move = 0; move < MaxMoves; move++)
        {
            var now = env.Clock.GetUtcNow().UtcDateTime;
            var nextTimer = await DbAsync(db => db.Timers.AsNoTracking().Where(t => t.State == TimerState.Pending)
                .OrderBy(t => t.DueAtUtc).Select(t => (DateTime?)t.DueAtUtc).FirstOrDefaultAsync(ct));
            var ids = cycles.Keys.ToList();
            var open = (await DbAsync(db => db.StepInstances.AsNoTracking()
                    .Where(s => ids.Contains(s.CycleId) && (s.State == StepState.Opened || s.State == StepState.Submitted)).ToListAsync(ct)))
                .Where(s => !_givenUp.Contains(s.Id) && !request.LeaveUndone.Contains(s.BodyId))
                .ToList();
            DateTime ActAtOf(StepInstanceEntity s) => ActAt(s, slow: cycles[s.CycleId] < request.Year);
            var nextAct = open.Select(s => ActAtOf(s) < now ? now : ActAtOf(s)).Order().Cast<DateTime?>().FirstOrDefault();
            DateTime? nextStart = toStart.Count > 0 ? request.StartOf(toStart.Peek()).UtcDateTime : null;
            var next = new[] { nextTimer, nextAct, nextStart }.Where(d => d is not null).Min();
            if (next is null || next > until)
            {
                break;
            }

            if (nextStart is not null && next == nextStart)
            {
                env.Clock.AdvanceTo(new DateTimeOffset(nextStart.Value, TimeSpan.Zero));
                await StartNextAsync();
                continue;
            }

            if (nextAct is not null && (nextTimer is null || nextAct <= nextTimer))
            {
                env.Clock.AdvanceTo(new DateTimeOffset(nextAct.Value, TimeSpan.Zero));
                foreach (var step in open.Where(s => ActAtOf(s) <= nextAct.Value).OrderBy(s => s.DueAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal))
                {
                    await ActAsync(step, request.OrganisationId, processOwner, ct);
                }
            }
            else
            {
                // A second past the timer, as the sweep after its minute would find it.
                env.Clock.AdvanceTo(new DateTimeOffset(nextTimer!.Value, TimeSpan.Zero).AddSeconds(1));
            }

            await InScopeAsync(sp => sp.GetRequiredService<TimerDispatcher>().RunDueAsync(ct));
            await AfterMoveAsync(ct);
        }

        var last = cycles.MaxBy(c => c.Value).Key;
        var leadTimes = await InScopeAsync(async sp =>
        {
            var actor = await sp.GetRequiredService<IActorAccessor>().GetByUserIdAsync(processOwner, ct);
            return await sp.GetRequiredService<AnnualCycle.Runtime.Reports.LeadTimeQuery>().HandleAsync(actor, request.OrganisationId, ct);
        });
        return await ResultAsync(last, cycles.Keys.ToList(), request, ct) with { LeadTimes = leadTimes };
    }

    /// <summary>
    /// 12:59 local time (the configured zone) on the due day: after the 08:00 due-day reminder, before the deadline at 23:59.
    /// <paramref name="slow"/>: two working days after the due day instead (an earlier year of several).
    /// </summary>
    private DateTime ActAt(StepInstanceEntity step, bool slow = false)
    {
        var dueDay = env.Zone.LocalDate(step.DueAtUtc);
        if (slow)
        {
            return env.Zone.ToInstant(AnnualCycle.Domain.Calendar.SwedishCalendar.AddWorkingDays(dueDay, 2), new TimeOnly(12, 59)).UtcDateTime;
        }

        var at = env.Zone.ToInstant(dueDay, new TimeOnly(12, 59)).UtcDateTime;
        return at < step.DueAtUtc ? at : step.DueAtUtc.AddMinutes(-1);
    }

    /// <summary>Does the step's work as its demo users would.</summary>
    private async Task ActAsync(StepInstanceEntity step, string organisationId, string processOwner, CancellationToken ct)
    {
        try
        {
            if (step.Kind != StepKind.Task)
            {
                var confirmer = (await HoldersAsync(organisationId, step.BodyId, Roles.Contributor, ct)).FirstOrDefault() ?? processOwner;
                var (date, paragraph) = Meeting(StepCapabilities.DecisionOf(StepAction.Confirm, step, null));
                await HandleAsync<ConfirmStepHandler>(confirmer, (h, actor) => h.HandleAsync(actor, new ConfirmStepCommand(step.Id, "Genomfört (simulerat).", date, paragraph), ct), ct);
                return;
            }

            if (step.State == StepState.Opened)
            {
                var submitter = (await HoldersAsync(organisationId, step.BodyId, Roles.Contributor, ct)).FirstOrDefault();
                if (submitter is null)
                {
                    await HandleAsync<SkipStepHandler>(processOwner, (h, actor) => h.HandleAsync(actor, new SkipStepCommand(step.Id, $"Ingen demoanvändare bidrar för {step.BodyId} (simulerat)."), ct), ct);
                    return;
                }

                await HandleAsync<SubmitStepHandler>(submitter, (h, actor) => h.HandleAsync(actor, new SubmitStepCommand(step.Id, $"https://dokument.demo.local/{step.Key}", "Klart (simulerat)."), ct), ct);
            }

            for (var guard = 0; guard < 20; guard++)
            {
                var current = await DbAsync(async db =>
                {
                    var s = await db.StepInstances.AsNoTracking().SingleAsync(x => x.Id == step.Id, ct);
                    var approval = s.State != StepState.Submitted ? null : await db.Approvals.AsNoTracking()
                        .Where(a => a.StepInstanceId == s.Id && a.Round == s.Round && a.State == ApprovalState.Pending).OrderBy(a => a.Order).FirstOrDefaultAsync(ct);
                    return (Step: s, Approval: approval);
                });
                if (current.Approval is null)
                {
                    return;
                }

                var submitters = new[] { current.Step.SubmittedByUserId, current.Step.SubmittedOnBehalfOfUserId };
                var approver = (await HoldersAsync(organisationId, current.Approval.BodyId, current.Approval.Role, ct)).FirstOrDefault(u => !submitters.Contains(u));
                if (approver is null)
                {
                    GiveUp(step, $"no demo user holds {current.Approval.Role} in {current.Approval.BodyId}: the approval waits");
                    return;
                }

                var (meetingDate, meetingParagraph) = Meeting(StepCapabilities.DecisionOf(StepAction.Approve, current.Step, current.Approval));
                await HandleAsync<ApproveStepHandler>(approver, (h, actor) => h.HandleAsync(actor, new ApproveStepCommand(step.Id, "Godkänt (simulerat).", meetingDate, meetingParagraph), ct), ct);
            }
        }
        catch (DomainException ex)
        {
            GiveUp(step, ex.Message);
        }
    }

    /// <summary>
    /// A decision of a body (the nämnd's signature, a confirmed decision) is recorded with its meeting: the simulated day
    /// (a step anchored to a meeting is due on it, and the demo users act on the due day), never after it, and the next §.
    /// </summary>
    private (DateOnly? Date, string? Paragraph) Meeting(string? decisionOf) =>
        decisionOf is null ? (null, null) : (env.Zone.LocalDate(env.Clock.GetUtcNow().UtcDateTime), $"§ {++_paragraph}");

    private void GiveUp(StepInstanceEntity step, string why)
    {
        _givenUp.Add(step.Id);
        _timeline.Add(new TimelineEvent(env.Clock.GetUtcNow().UtcDateTime, "note", step.Key, step.BodyId, null, why));
    }

    /// <summary>Sends the outbox as the minute sweep would, then records the journal entries written since the last move.</summary>
    private async Task AfterMoveAsync(CancellationToken ct)
    {
        await InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().RunAsync(ct));
        var entries = await DbAsync(db => db.Journal.AsNoTracking().Where(j => j.Sequence > _journalSeen).OrderBy(j => j.Sequence).ToListAsync(ct));
        foreach (var entry in entries)
        {
            _journalSeen = entry.Sequence;
            var step = entry.StepInstanceId is { } id ? await StepAsync(id, ct) : null;
            _timeline.Add(new TimelineEvent(entry.AtUtc, EventName(entry.Action), step?.Key, step?.BodyId, entry.ActorUserId, entry.Comment));
        }
    }

    private static string EventName(string action) => action switch
    {
        "CycleStarted" => "started",
        "Opened" => "opened",
        "Reminder" => "reminder",
        "DueToday" => "due-today",
        "Overdue" => "overdue",
        "Escalated" => "escalation",
        "Submitted" => "submitted",
        "Approved" => "approved",
        "Completed" or "Confirmed" => "completed",
        "Skipped" => "skipped",
        _ => action.ToLowerInvariant(),
    };

    private async Task<StepInstanceEntity?> StepAsync(Guid id, CancellationToken ct)
    {
        if (!_stepsById.TryGetValue(id, out var step))
        {
            step = await DbAsync(db => db.StepInstances.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct));
            if (step is not null)
            {
                _stepsById[id] = step;
            }
        }

        return step;
    }

    private async Task<SimulationResult> ResultAsync(Guid cycleId, IReadOnlyList<Guid> cycleIds, SimulationRequest request, CancellationToken ct)
    {
        var builder = env.Services.GetRequiredService<MimeMessageBuilder>();
        var emailOf = await DbAsync(db => db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Email, ct));
        var steps = await DbAsync(db => db.StepInstances.AsNoTracking().Where(s => cycleIds.Contains(s.CycleId)).ToListAsync(ct));
        var stepById = steps.ToDictionary(s => s.Id);
        var rows = await DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync(ct));
        var emails = rows
            .OrderBy(r => r.SentAtUtc ?? r.CreatedAtUtc).ThenBy(r => r.CreatedAtUtc).ThenBy(r => r.Id)
            .Select(r =>
            {
                var step = r.StepInstanceId is { } id ? stepById.GetValueOrDefault(id) : null;
                return new SimulatedEmail(r.Id, builder.MessageIdFor(r.Id), r.Kind.ToString(), r.State.ToString(), r.RecipientUserId, emailOf.GetValueOrDefault(r.RecipientUserId),
                    step?.Key, step?.BodyId, r.CreatedAtUtc, r.SentAtUtc);
            })
            .ToList();
        var simulatedSteps = steps.OrderBy(s => s.DueAtUtc).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new SimulatedStep(s.Key, s.Title, s.Kind.ToString(), s.BodyId, s.State.ToString(), s.DueAtUtc,
                s.State is StepState.Completed or StepState.Skipped or StepState.Cancelled ? s.CompletedAtUtc : null, request.LeaveUndone.Contains(s.BodyId)))
            .ToList();
        // The timeline names people by email, as the secretary knows them.
        var timeline = _timeline.Select(t => t with { Actor = t.Actor is null ? null : emailOf.GetValueOrDefault(t.Actor) ?? t.Actor }).ToList();
        return new SimulationResult(cycleId, timeline, emails, simulatedSteps, env.Clock.GetUtcNow().UtcDateTime);
    }

    private async Task<string> UserIdAsync(string email, CancellationToken ct)
    {
        var normalized = email.ToUpperInvariant();
        return await DbAsync(db => db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).SingleAsync(ct));
    }

    /// <summary>Demo users holding <paramref name="role"/> in <paramref name="bodyId"/>, in the order of <see cref="DemoUsers.All"/>.</summary>
    private async Task<List<string>> HoldersAsync(string organisationId, string? bodyId, string role, CancellationToken ct)
    {
        var holders = await DbAsync(db => (
                from g in db.RoleGrants.AsNoTracking()
                where g.OrganisationId == organisationId && g.BodyId == bodyId && g.Role == role
                join u in db.Users.AsNoTracking() on g.UserId equals u.Id
                select new { u.Id, u.Email }).ToListAsync(ct));
        var order = DemoUsers.All.Select((d, i) => (d.Email, i)).ToDictionary(x => x.Email, x => x.i, StringComparer.OrdinalIgnoreCase);
        return holders.OrderBy(h => order.GetValueOrDefault(h.Email ?? "", int.MaxValue)).ThenBy(h => h.Id, StringComparer.Ordinal).Select(h => h.Id).ToList();
    }

    private Task HandleAsync<THandler>(string userId, Func<THandler, Actor, Task> action, CancellationToken ct) where THandler : notnull =>
        InScopeAsync(async sp =>
        {
            var actor = await sp.GetRequiredService<IActorAccessor>().GetByUserIdAsync(userId, ct);
            await action(sp.GetRequiredService<THandler>(), actor);
            return 0;
        });

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = env.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private Task<T> DbAsync<T>(Func<AnnualCycleDbContext, Task<T>> query) =>
        InScopeAsync(sp => query(sp.GetRequiredService<AnnualCycleDbContext>()));
}
