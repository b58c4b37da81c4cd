using System.Security.Claims;

namespace AnnualCycle.Runtime.People;

/// <summary>
/// Loads the actor from the product database: the user's own grants, plus the grants of every principal
/// who has named this user as deputy for a date range covering today's Europe/Stockholm date (both ends
/// included). Delegation is one level deep: a deputy does not pass on what was delegated to the principal.
/// </summary>
internal sealed class ActorAccessor(AnnualCycleDbContext db, TimeProvider clock, StockholmTime stockholm) : IActorAccessor
{
    // One request asks more than once (authorization handler, then the endpoint). A Blazor circuit is one
    // scope for hours, so the cache is short: a grant removed or a deputy period ending shows within seconds.
    private readonly Dictionary<string, (Actor Actor, DateTimeOffset LoadedAt)> _cache = new(StringComparer.Ordinal);

    public Task<Actor> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (principal.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(userId))
        {
            throw new ForbiddenActionException("Sign in first.");
        }

        return GetByUserIdAsync(userId, cancellationToken);
    }

    public async Task<Actor> GetByUserIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(userId, out var cached) && now - cached.LoadedAt < IActorAccessor.CacheFor && now >= cached.LoadedAt)
        {
            return cached.Actor;
        }

        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.DisplayName, u.LockoutEnd })
            .FirstOrDefaultAsync(cancellationToken);
        if (user is null || (user.LockoutEnd is { } end && end > now))
        {
            throw new ForbiddenActionException("The signed-in user is unknown or locked.");
        }

        var own = await db.RoleGrants.AsNoTracking()
            .Where(g => g.UserId == userId)
            .OrderBy(g => g.OrganisationId).ThenBy(g => g.BodyId).ThenBy(g => g.Role)
            .Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role))
            .ToListAsync(cancellationToken);

        var today = stockholm.LocalDate(now);
        var delegated = await (
                from d in db.Deputies.AsNoTracking()
                where d.DeputyUserId == userId && d.FromDate <= today && d.ToDate >= today
                join g in db.RoleGrants.AsNoTracking() on d.PrincipalUserId equals g.UserId
                join p in db.Users.AsNoTracking() on d.PrincipalUserId equals p.Id
                select new { g.OrganisationId, g.BodyId, g.Role, PrincipalId = p.Id, PrincipalName = p.DisplayName })
            .ToListAsync(cancellationToken);

        var actor = new Actor(
            user.Id,
            user.DisplayName,
            own,
            delegated
                .OrderBy(d => d.PrincipalName).ThenBy(d => d.OrganisationId).ThenBy(d => d.BodyId).ThenBy(d => d.Role)
                .Select(d => new DelegatedGrant(new RoleGrant(d.OrganisationId, d.BodyId, d.Role), d.PrincipalId, d.PrincipalName))
                .Distinct()
                .ToList());
        _cache[userId] = (actor, now);
        return actor;
    }
}

/// <summary>Grant look-ups shared by the authorization policies and the endpoints.</summary>
public static class ActorGrants
{
    /// <summary>True when the actor holds <paramref name="role"/> in any body, by their own grant.</summary>
    public static bool HasOwn(this Actor actor, string role) => actor.Grants.Any(g => g.Role == role);

    /// <summary>True when the actor holds <paramref name="role"/> by their own grant or by one delegated for today.</summary>
    public static bool HasOwnOrDelegated(this Actor actor, string role) =>
        actor.HasOwn(role) || actor.Delegated.Any(d => d.Grant.Role == role);
}
