using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>
/// What waits for me, sorted by due: open steps of bodies I contribute to (to submit or confirm) and
/// submitted steps whose current approval is mine (never one I submitted), including what I do as a deputy.
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
                          where organisations.Contains(c.OrganisationId) && c.Status == CycleStatus.Running && (s.State == StepState.Opened || s.State == StepState.Submitted)
                          select new { Step = s, c.OrganisationId }).ToListAsync(ct);
        var submittedIds = rows.Where(r => r.Step.State == StepState.Submitted).Select(r => r.Step.Id).ToList();
        var approvals = (await db.Approvals.AsNoTracking().Where(a => submittedIds.Contains(a.StepInstanceId) && a.State == ApprovalState.Pending).ToListAsync(ct))
            
            .GroupBy(a => a.StepInstanceId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.Round).ThenBy(a => a.Order).First());

        var tasks = new List<MyTaskDto>();
        foreach (var row in rows)
        {
            var s = row.Step;
            MyTaskDto Task(string action, StepAuthorization.Authority authority, ApprovalInstanceEntity? a) => new(
                StepDto.From(s, now), action, a?.Id, a?.Role, authority.OnBehalfOfUserId,
                SwedishCalendar.WorkingDaysBetween(today, zone.LocalDate(s.DueAtUtc)), StepTransitions.IsOverdue(s.State, s.DueAtUtc, now));

            if (s.State == StepState.Opened)
            {
                var confirm = s.Kind is StepKind.Meeting or StepKind.Milestone or StepKind.Decision;
                var authority = StepAuthorization.FindGrant(actor, row.OrganisationId, s.BodyId, Roles.Contributor);
                if (authority is not null)
                {
                    tasks.Add(Task(confirm ? "confirm" : "submit", authority, null));
                }
            }
            else if (approvals.TryGetValue(s.Id, out var current))
            {
                var authority = StepAuthorization.FindGrant(actor, row.OrganisationId, current.BodyId, current.Role);
                var own = new[] { s.SubmittedByUserId, s.SubmittedOnBehalfOfUserId };
                if (authority is not null && !own.Contains(authority.UserId) && (authority.OnBehalfOfUserId is null || !own.Contains(authority.OnBehalfOfUserId)))
                {
                    tasks.Add(Task("approve", authority, current));
                }
            }
        }

        return tasks.OrderBy(t => t.Step.DueAtUtc).ThenBy(t => t.Step.Key, StringComparer.Ordinal).ToList();
    }
}
