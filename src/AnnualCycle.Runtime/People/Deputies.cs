using AnnualCycle.Data;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
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

/// <summary>Deputies (ersättare): a user names another user to act for them over a date range.</summary>
public sealed class Deputies(AnnualCycleDbContext db)
{
    /// <summary>The deputies <paramref name="userId"/> has named, and the principals who named them.</summary>
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

    public async Task<DeputyView> NameAsync(string principalUserId, NameDeputyCommand command, CancellationToken cancellationToken = default)
    {
        var principal = await db.Users.FirstOrDefaultAsync(u => u.Id == principalUserId, cancellationToken)
            ?? throw new NotFoundException($"No user {principalUserId}.");
        var from = command.From ?? throw new InputException("from", "is required");
        var to = command.To ?? throw new InputException("to", "is required");
        if (to < from)
        {
            throw new InputException("to", "must be on or after from");
        }

        var deputy = await FindDeputyAsync(command, cancellationToken);
        if (deputy.Id == principal.Id)
        {
            throw new InputException(command.DeputyUserId is null ? "deputyEmail" : "deputyUserId", "a user cannot be their own deputy");
        }

        var entity = new DeputyEntity { Id = Guid.NewGuid(), PrincipalUserId = principal.Id, DeputyUserId = deputy.Id, FromDate = from, ToDate = to };
        db.Deputies.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new DeputyView(entity.Id, principal.Id, principal.DisplayName, deputy.Id, deputy.DisplayName, from, to);
    }

    /// <summary>Removes a deputy that <paramref name="principalUserId"/> named (404 for anyone else's).</summary>
    public async Task RemoveAsync(string principalUserId, Guid id, CancellationToken cancellationToken = default)
    {
        var entity = await db.Deputies.FirstOrDefaultAsync(d => d.Id == id && d.PrincipalUserId == principalUserId, cancellationToken)
            ?? throw new NotFoundException($"No deputy {id}.");
        db.Deputies.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<Data.Identity.AppUser> FindDeputyAsync(NameDeputyCommand command, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(command.DeputyUserId))
        {
            var id = PeopleInput.Text("deputyUserId", command.DeputyUserId, 100);
            return await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
                ?? throw new InputException("deputyUserId", "no such user");
        }

        if (string.IsNullOrWhiteSpace(command.DeputyEmail))
        {
            throw new InputException("deputyUserId", "give deputyUserId or deputyEmail");
        }

        var email = PeopleInput.Email("deputyEmail", command.DeputyEmail).ToUpperInvariant();
        return await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, cancellationToken)
            ?? throw new InputException("deputyEmail", "no such user");
    }
}
