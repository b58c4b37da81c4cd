using System.Globalization;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Notifications;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.People;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// Monday 08:00 in the configured zone (Europe/Stockholm): records one weekly digest for each user who chose <see cref="EmailDelivery.WeeklyDigest"/>,
/// listing everything open for them (what they submit, confirm or approve, also as a deputy) with its due date. The
/// digest is an outbox row like any other, so it is sent, retried and dead-lettered the same way. Its dedup key names
/// the user and the ISO week: a second run in the same week records nothing.
/// </summary>
public sealed class WeeklyDigestJob(
    AnnualCycleDbContext db,
    TimeProvider clock,
    StockholmTime zone,
    IActorAccessor actors,
    MyTasksQuery myTasks,
    IWorkflowCatalog catalog,
    IOutboxWakeup wakeup,
    ILogger<WeeklyDigestJob> logger)
{
    public const string JobId = "annualcycle-weekly-digest";
    public const string Cron = "0 8 * * 1";

    public static string DedupKey(string userId, DateOnly localDate) =>
        string.Create(CultureInfo.InvariantCulture, $"digest:{userId}:{ISOWeek.GetYear(localDate.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(localDate.ToDateTime(TimeOnly.MinValue)):00}");

    [AutomaticRetry(Attempts = 0)]
    public Task<int> RunAsync() => RecordDigestsAsync(CancellationToken.None);

    /// <summary>Records this week's digests not yet recorded; returns how many. Users with nothing open get none.</summary>
    public async Task<int> RecordDigestsAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = zone.LocalDate(now);
        var users = await db.Users.AsNoTracking().Where(u => u.EmailDelivery == EmailDelivery.WeeklyDigest && u.Email != null)
            .Select(u => u.Id).ToListAsync(ct);
        var cycleNames = await db.Cycles.AsNoTracking().Where(c => c.Status == CycleStatus.Running)
            .ToDictionaryAsync(c => c.Id, c => new { c.Name, c.OrganisationId }, ct);
        var recorded = 0;
        foreach (var userId in users)
        {
            var key = DedupKey(userId, today);
            if (await db.OutboxMessages.AsNoTracking().AnyAsync(o => o.DedupKey == key, ct))
            {
                continue;
            }

            Actor actor;
            try
            {
                actor = await actors.GetByUserIdAsync(userId, ct);
            }
            catch (ForbiddenActionException)
            {
                continue; // locked out: no mail
            }

            var tasks = await myTasks.HandleAsync(actor, ct);
            if (tasks.Count == 0)
            {
                continue;
            }

            var items = tasks.Select(t =>
            {
                var cycle = cycleNames.GetValueOrDefault(t.Step.CycleId);
                var body = cycle is null ? null : catalog.FindOrganisation(cycle.OrganisationId)?.FindBody(t.Step.BodyId)?.Name;
                return new DigestItem(cycle?.Name ?? "", t.Step.Title, body ?? t.Step.BodyId, new DateTimeOffset(t.Step.DueAtUtc, TimeSpan.Zero),
                    OutboxEmailBuilder.StepPath(t.Step.Id), t.Overdue);
            }).ToList();
            var organisation = tasks.Select(t => cycleNames.GetValueOrDefault(t.Step.CycleId)?.OrganisationId).FirstOrDefault(o => o is not null);
            db.OutboxMessages.Add(new OutboxMessageEntity
            {
                Id = Guid.NewGuid(),
                Kind = EmailKind.WeeklyDigest,
                RecipientUserId = userId,
                DedupKey = key,
                CreatedAtUtc = now.UtcDateTime,
                State = OutboxState.Pending,
                PayloadJson = JsonSerializer.Serialize(new DigestPayload(organisation, items)),
            });
            try
            {
                await db.SaveChangesAsync(ct);
                recorded++;
            }
            catch (DbUpdateException ex) when (EngineWork.IsUniqueViolation(ex))
            {
                db.ChangeTracker.Clear(); // a concurrent run recorded it first
            }
        }

        logger.LogInformation("Weekly digest: {Count} digest(s) recorded for {Users} user(s) who chose it", recorded, users.Count);
        if (recorded > 0)
        {
            OutboxWakeups.TryWake(wakeup);
        }

        return recorded;
    }
}
