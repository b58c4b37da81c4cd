using AnnualCycle.Data;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.People;

/// <summary>An ersättare named by <see cref="PrincipalUserId"/>; <see cref="From"/> and <see cref="To"/> are Europe/Stockholm dates, both included.</summary>
public sealed record DeputyView(
    Guid Id,
    string PrincipalUserId,
    string PrincipalName,
    string DeputyUserId,
    string DeputyName,
    DateOnly From,
    DateOnly To);

/// <summary>Give either the deputy's user id or their email.</summary>
public sealed record NameDeputyCommand(string? DeputyUserId, string? DeputyEmail, DateOnly? From, DateOnly? To);

/// <summary>Deputies (ersättare): someone acts for another user over a date range.</summary>
public sealed class Deputies(AnnualCycleDbContext db)
{
    /// <summary>The deputies <paramref name="userId"/> has, and the principals they are deputy for.</summary>
    public async Task<IReadOnlyList<DeputyView>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rows = await (
                from d in db.Deputies.AsNoTracking()
                where d.PrincipalUserId == userId || d.DeputyUserId == userId
                join p in db.Users.AsNoTracking() on d.PrincipalUserId equals p.Id
                join u in db.Users.AsNoTracking() on d.DeputyUserId equals u.Id
                select new DeputyView(d.Id, p.Id, p.DisplayName, u.Id, u.DisplayName, d.FromDate, d.ToDate))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.From).ThenBy(r => r.DeputyName).ToList();
    }

    /// <summary>The deputies of a user the actor may appoint deputies for (404 for anyone else).</summary>
    public async Task<IReadOnlyList<DeputyView>> ListAsync(Actor actor, string principalUserId, CancellationToken cancellationToken = default)
    {
        await RequirePrincipalAsync(actor, principalUserId, change: false, cancellationToken);
        return await ListAsync(principalUserId, cancellationToken);
    }

    public async Task<DeputyView> NameAsync(Actor actor, string principalUserId, NameDeputyCommand command, CancellationToken cancellationToken = default)
    {
        var scope = await RequirePrincipalAsync(actor, principalUserId, change: true, cancellationToken);
        var principal = await db.Users.FirstAsync(u => u.Id == principalUserId, cancellationToken);
        var from = command.From ?? throw new InputException("from", "is required");
        var to = command.To ?? throw new InputException("to", "is required");
        if (to < from)
        {
            throw new InputException("to", "must be on or after from");
        }

        var deputy = await FindDeputyAsync(scope, command, cancellationToken);
        if (deputy.Id == principal.Id)
        {
            throw new InputException(command.DeputyUserId is null ? "deputyEmail" : "deputyUserId", "a user cannot be their own deputy");
        }

        var entity = new DeputyEntity { Id = Guid.NewGuid(), PrincipalUserId = principal.Id, DeputyUserId = deputy.Id, FromDate = from, ToDate = to };
        db.Deputies.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new DeputyView(entity.Id, principal.Id, principal.DisplayName, deputy.Id, deputy.DisplayName, from, to);
    }

    /// <summary>Removes a deputy of <paramref name="principalUserId"/> (404 for anyone else's).</summary>
    public async Task RemoveAsync(Actor actor, string principalUserId, Guid id, CancellationToken cancellationToken = default)
    {
        await RequirePrincipalAsync(actor, principalUserId, change: true, cancellationToken);
        var entity = await db.Deputies.FirstOrDefaultAsync(d => d.Id == id && d.PrincipalUserId == principalUserId, cancellationToken)
            ?? throw new NotFoundException($"No deputy {id}.");
        db.Deputies.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// A deputy acts with every grant of the principal, so whoever appoints one must be an administrator or the process
    /// owner of every organisation the principal holds a grant in (to <paramref name="change"/> them; to see them, one is
    /// enough). A principal the actor cannot see is 404.
    /// </summary>
    private async Task<OrganisationScope> RequirePrincipalAsync(Actor actor, string principalUserId, bool change, CancellationToken cancellationToken)
    {
        var scope = actor.AppointsDeputies();
        if (scope.IsEmpty)
        {
            throw new ForbiddenActionException("Deputies are appointed by an administrator or the process owner of the organisation.");
        }

        var grants = await db.RoleGrants.AsNoTracking().Where(g => g.UserId == principalUserId).Select(g => g.OrganisationId).ToListAsync(cancellationToken);
        if (!scope.All && !grants.Any(scope.Covers))
        {
            throw new NotFoundException($"No user {principalUserId}.");
        }

        if (change && !scope.All && !scope.CoversAll(grants))
        {
            throw new ForbiddenActionException("The user also holds roles in organisations where you may not appoint deputies; a deputy would act in all of them.");
        }

        return scope;
    }

    /// <summary>The deputy among the users the actor can see (a grant in one of their organisations); anyone else is "no such user".</summary>
    private async Task<Data.Identity.AppUser> FindDeputyAsync(OrganisationScope scope, NameDeputyCommand command, CancellationToken cancellationToken)
    {
        string field;
        Data.Identity.AppUser? user;
        if (!string.IsNullOrWhiteSpace(command.DeputyUserId))
        {
            field = "deputyUserId";
            var id = PeopleInput.Text(field, command.DeputyUserId, 100);
            user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        }
        else if (string.IsNullOrWhiteSpace(command.DeputyEmail))
        {
            throw new InputException("deputyUserId", "give deputyUserId or deputyEmail");
        }
        else
        {
            field = "deputyEmail";
            var email = PeopleInput.Email(field, command.DeputyEmail).ToUpperInvariant();
            user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken);
        }

        var organisations = user is null ? [] : await db.RoleGrants.AsNoTracking().Where(g => g.UserId == user.Id).Select(g => g.OrganisationId).ToListAsync(cancellationToken);
        return user is not null && (scope.All || organisations.Any(scope.Covers)) ? user : throw new InputException(field, "no such user");
    }
}
