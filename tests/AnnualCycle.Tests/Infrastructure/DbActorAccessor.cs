using System.Security.Claims;
using AnnualCycle.Data;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>A test stand-in for the people engineer's accessor: grants and today's delegations straight from the database.</summary>
public sealed class DbActorAccessor(AnnualCycleDbContext db, TimeProvider clock) : IActorAccessor
{
    public Task<Actor> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        GetByUserIdAsync(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new ForbiddenActionException("Not signed in."), cancellationToken);

    public Task<Actor> GetByUserIdAsync(string userId, CancellationToken cancellationToken = default) => BuildAsync(db, userId, clock);

    public static async Task<Actor> BuildAsync(AnnualCycleDbContext db, string userId, TimeProvider clock)
    {
        var today = StockholmTime.Default.LocalDate(clock.GetUtcNow());
        var own = await db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId).ToListAsync();
        var principals = await db.Deputies.AsNoTracking().Where(d => d.DeputyUserId == userId && d.FromDate <= today && d.ToDate >= today).Select(d => d.PrincipalUserId).ToListAsync();
        var delegated = await db.RoleGrants.AsNoTracking().Where(g => principals.Contains(g.UserId)).ToListAsync();
        return new Actor(userId, userId,
            own.Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role)).ToList(),
            delegated.Select(g => new DelegatedGrant(new RoleGrant(g.OrganisationId, g.BodyId, g.Role), g.UserId, g.UserId)).ToList());
    }
}
