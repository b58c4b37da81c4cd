using AnnualCycle.Data.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Runtime.Meetings;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Runtime.Calendar;

/// <summary>Settings of the calendar feeds: the root key <c>PublicBaseUrl</c>, the base of every link.</summary>
public sealed class CalendarOptions
{
    public string PublicBaseUrl { get; set; } = AnnualCycle.Notifications.PublicBaseUrl.Default;
}

/// <summary>
/// The subscription feed of one owner, as an iCalendar text.
/// <list type="bullet">
/// <item>A user: the deadline of every step, in every running cycle of their organisations, that they do (a contributor
/// grant, or one with the step's role, in the step's body) or sign off (a grant matching
/// one of its approvals), counting the grants delegated to them today as a deputy; plus the meetings of every body
/// they hold a grant in.</item>
/// <item>A body: the deadline of every step of the body in the running cycles of its organisation, and its meetings.</item>
/// </list>
/// Resolved steps stay in the feed (a completed deadline is history; a skipped or cancelled one is
/// <c>STATUS:CANCELLED</c>), so a subscribed calendar never loses an event without being told why. Meetings are
/// those of the organisation's sammanträdesplan from a year ago onwards.
/// </summary>
public sealed class CalendarFeed(AnnualCycleDbContext db, IActorAccessor actors, IWorkflowCatalog catalog, TimeProvider clock, StockholmTime zone, IcsFeedBuilder ics, IOptions<CalendarOptions> options)
{
    /// <summary>Meetings without a time in the sammanträdesplan are shown 09:00–12:00.</summary>
    private static readonly TimeOnly DefaultMeetingStart = new(9, 0);
    private static readonly TimeSpan MeetingLength = TimeSpan.FromHours(3);

    /// <summary>The feed of <paramref name="owner"/>, or null when the owner no longer exists (an unknown or locked user, a body the organisation dropped).</summary>
    public async Task<string?> BuildAsync(CalendarOwner owner, CancellationToken ct = default)
    {
        if (owner.Kind == CalendarOwnerKind.Body)
        {
            // Meetings from the effective calendar: an imported sammanträdesplan replaces the file's for its bodies.
            var organisation = await MeetingCalendar.EffectiveAsync(db, catalog, owner.OrganisationId ?? "", ct);
            var body = organisation?.FindBody(owner.OwnerId);
            if (organisation is null || body is null)
            {
                return null;
            }

            var steps = await StepsAsync([organisation.Id], s => string.Equals(s.Step.BodyId, body.Id, StringComparison.OrdinalIgnoreCase), ct);
            var items = steps.Concat(Meetings(organisation, [body.Id])).ToList();
            return ics.Build($"Årshjulet – {body.Name}", Ordered(items));
        }

        Actor actor;
        try
        {
            actor = await actors.GetByUserIdAsync(owner.OwnerId, ct);
        }
        catch (ForbiddenActionException)
        {
            return null;
        }

        var grants = actor.Grants.Concat(actor.Delegated.Select(d => d.Grant)).Where(g => g.BodyId is not null).ToList();
        var organisations = grants.Select(g => g.OrganisationId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        bool Holds(string organisationId, string bodyId, string role) => grants.Any(g =>
            string.Equals(g.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(g.BodyId, bodyId, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(g.Role, role, StringComparison.OrdinalIgnoreCase));

        // The engine lets any contributor of the step's body submit it, whatever role the definition names
        // (StepAuthorization.RequireContributor), so that is who the step's deadline belongs to.
        var mine = await StepsAsync(organisations, s =>
            Holds(s.OrganisationId, s.Step.BodyId, Roles.Contributor) ||
            (s.Step.Role is { } role && Holds(s.OrganisationId, s.Step.BodyId, role)) ||
            s.Approvals.Any(a => Holds(s.OrganisationId, a.BodyId, a.Role)), ct);
        var meetings = new List<IcsFeedItem>();
        foreach (var o in organisations)
        {
            if (await MeetingCalendar.EffectiveAsync(db, catalog, o, ct) is { } organisation)
            {
                meetings.AddRange(Meetings(organisation, grants.Where(g => string.Equals(g.OrganisationId, o, StringComparison.OrdinalIgnoreCase)).Select(g => g.BodyId!).ToList()));
            }
        }

        return ics.Build($"Årshjulet – {actor.DisplayName}", Ordered(mine.Concat(meetings).ToList()));
    }

    private sealed record StepRow(StepInstanceEntity Step, CycleEntity Cycle, string OrganisationId, IReadOnlyList<ApprovalInstanceEntity> Approvals);

    private async Task<List<IcsFeedItem>> StepsAsync(IReadOnlyCollection<string> organisations, Func<StepRow, bool> include, CancellationToken ct)
    {
        if (organisations.Count == 0)
        {
            return [];
        }

        var rows = await (from s in db.StepInstances.AsNoTracking()
                          join c in db.Cycles.AsNoTracking() on s.CycleId equals c.Id
                          where organisations.Contains(c.OrganisationId) && c.Status == CycleStatus.Running
                          select new { Step = s, Cycle = c }).ToListAsync(ct);
        var stepIds = rows.Select(r => r.Step.Id).ToList();
        var approvals = (await db.Approvals.AsNoTracking().Where(a => stepIds.Contains(a.StepInstanceId)).ToListAsync(ct))
            .ToLookup(a => a.StepInstanceId);
        var baseUrl = options.Value.PublicBaseUrl;
        return rows
            .Select(r => new StepRow(r.Step, r.Cycle, r.Cycle.OrganisationId, approvals[r.Step.Id].ToList()))
            .Where(include)
            .Select(r => StepDeadlineEvents.For(r.Step, r.Cycle, BodyName(r.OrganisationId, r.Step.BodyId), baseUrl).ToFeedItem(zone))
            .ToList();
    }

    private IEnumerable<IcsFeedItem> Meetings(Organisation organisation, IReadOnlyCollection<string> bodyIds)
    {
        var from = zone.LocalDate(clock.GetUtcNow()).AddYears(-1);
        return organisation.Meetings
            .Where(m => m.Date >= from && bodyIds.Contains(m.BodyId, StringComparer.OrdinalIgnoreCase))
            .DistinctBy(m => (m.BodyId.ToUpperInvariant(), m.Date))
            .Select(m =>
            {
                var body = organisation.FindBody(m.BodyId);
                var start = zone.ToInstant(m.Date, m.Time ?? DefaultMeetingStart);
                // The UID names the organisation, body and date: a meeting the sammanträdesplan moves becomes a new
                // event, and the old one leaves the feed (subscribing clients remove it).
                var uid = $"meeting-{organisation.Id}-{m.BodyId}-{m.Date:yyyyMMdd}@annualcycle".ToLowerInvariant();
                return new IcsFeedItem(uid, 0, $"Sammanträde: {body?.Name ?? m.BodyId}", start, start + MeetingLength, null,
                    m.IsExample ? "Preliminärt datum (exempel i sammanträdesplanen)." : null);
            });
    }

    private string BodyName(string organisationId, string bodyId) => catalog.FindOrganisation(organisationId)?.FindBody(bodyId)?.Name ?? bodyId;

    private static IEnumerable<IcsFeedItem> Ordered(List<IcsFeedItem> items) =>
        items.OrderBy(i => i.Start).ThenBy(i => i.Uid, StringComparer.Ordinal);
}
