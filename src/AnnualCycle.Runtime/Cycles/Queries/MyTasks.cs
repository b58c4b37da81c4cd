namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>
/// What waits for me, sorted by due: the steps of running cycles that <see cref="StepCapabilities"/> lets me submit
/// (opened or returned), confirm as a contributor of the body, or approve now, including what I do as a deputy.
/// <see cref="MyTaskDto.WorkingDaysLeft"/> counts Swedish working days from today to the due date (negative when late).
/// </summary>
public sealed class MyTasksQuery(AnnualCycleDbContext db, TimeProvider clock, StockholmTime zone)
{
    public async Task<IReadOnlyList<MyTaskDto>> HandleAsync(Actor actor, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = zone.LocalDate(clock.GetUtcNow());
        var organisations = Visibility.Organisations(actor).ToList();
        var rows = await (from s in db.StepInstances.AsNoTracking()
                          join c in db.Cycles.AsNoTracking() on s.CycleId equals c.Id
                          where organisations.Contains(c.OrganisationId) && c.Status == CycleStatus.Running
                                && (s.State == StepState.Opened || s.State == StepState.Returned || s.State == StepState.Submitted)
                          select new { Step = s, c.OrganisationId }).ToListAsync(ct);
        // Only a submitted step's chain matters here: the current round, decided rows included (separation of duties).
        var submittedIds = rows.Where(r => r.Step.State == StepState.Submitted).Select(r => r.Step.Id).ToList();
        var chains = (await db.Approvals.AsNoTracking().Where(a => submittedIds.Contains(a.StepInstanceId)).ToListAsync(ct))
            .ToLookup(a => a.StepInstanceId);

        var tasks = new List<MyTaskDto>();
        foreach (var row in rows)
        {
            var s = row.Step;
            var can = StepCapabilities.For(actor, row.OrganisationId, s, chains[s.Id]);
            // Confirming as process owner is not a task: a process owner could confirm every meeting of the organisation.
            var (action, capability) =
                can.Submit.Allowed ? ("submit", can.Submit)
                : can.Confirm.Allowed && can.Confirm.Role == Roles.Contributor ? ("confirm", can.Confirm)
                : can.Approve.Allowed ? ("approve", can.Approve)
                : (null, null);
            if (action is null || capability is null)
            {
                continue;
            }

            tasks.Add(new MyTaskDto(
                StepDto.From(s, now, can), action, capability.ApprovalId, capability.ApprovalId is null ? null : capability.Role, capability.OnBehalfOfUserId,
                SwedishCalendar.WorkingDaysBetween(today, zone.LocalDate(s.DueAtUtc)), StepTransitions.IsOverdue(s.State, s.DueAtUtc, now)));
        }

        return tasks.OrderBy(t => t.Step.DueAtUtc).ThenBy(t => t.Step.Key, StringComparer.Ordinal).ToList();
    }
}
