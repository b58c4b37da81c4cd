using AnnualCycle.Data.People;

namespace AnnualCycle.Runtime.People;

/// <summary>An ersättare: <see cref="DeputyUserId"/> acts for <see cref="PrincipalUserId"/> from <see cref="From"/> to <see cref="To"/>, Europe/Stockholm dates, both included.</summary>
public sealed record DeputyView(
    Guid Id,
    string PrincipalUserId,
    string PrincipalName,
    string DeputyUserId,
    string DeputyName,
    DateOnly From,
    DateOnly To);

/// <summary>Who acts for whom and when: each person by user id or by email.</summary>
public sealed record AppointDeputyCommand(string? PrincipalUserId, string? PrincipalEmail, string? DeputyUserId, string? DeputyEmail, DateOnly? From, DateOnly? To);

/// <summary>
/// Deputies (ersättare): someone acts with all of another user's grants over a date range. A user never names their own
/// deputy: an administrator, or the process owner, of every organisation the principal holds a grant in appoints one,
/// choosing among the people of their organisations. Nobody becomes deputy if they would then hold two signatures of one
/// step's chain (<see cref="SignatureChains"/>), e.g. the förvaltningsdirektör of HSF standing in for the nämnd
/// secretary of HSN, whose steps the director approves first. Appointments and removals are journalled.
/// </summary>
public sealed class Deputies(AnnualCycleDbContext db, TimeProvider clock, StockholmTime stockholm, SignatureChains chains)
{
    /// <summary>The deputies <paramref name="userId"/> has, and the principals they are deputy for.</summary>
    public Task<IReadOnlyList<DeputyView>> ListAsync(string userId, CancellationToken cancellationToken = default) =>
        ViewsAsync(db.Deputies.AsNoTracking().Where(d => d.PrincipalUserId == userId || d.DeputyUserId == userId), cancellationToken);

    /// <summary>The deputies of a user the actor may appoint deputies for (404 for anyone else).</summary>
    public async Task<IReadOnlyList<DeputyView>> ListAsync(Actor actor, string principalUserId, CancellationToken cancellationToken = default)
    {
        var scope = RequireAppointer(actor);
        await PrincipalGrantsAsync(scope, principalUserId, change: false, cancellationToken);
        return await ViewsAsync(db.Deputies.AsNoTracking().Where(d => d.PrincipalUserId == principalUserId), cancellationToken);
    }

    /// <summary>Every deputy whose principal the actor may see (a grant in one of the organisations where they appoint deputies).</summary>
    public async Task<IReadOnlyList<DeputyView>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var scope = RequireAppointer(actor);
        var all = await ViewsAsync(db.Deputies.AsNoTracking(), cancellationToken);
        if (scope.All)
        {
            return all;
        }

        var organisations = (await db.RoleGrants.AsNoTracking().Select(g => new { g.UserId, g.OrganisationId }).ToListAsync(cancellationToken))
            .ToLookup(g => g.UserId, g => g.OrganisationId);
        return all.Where(d => organisations[d.PrincipalUserId].Any(scope.Covers)).ToList();
    }

    public async Task<DeputyView> AppointAsync(Actor actor, AppointDeputyCommand command, CancellationToken cancellationToken = default)
    {
        var scope = RequireAppointer(actor);
        var (_, principal) = await FindUserAsync(scope, "principalUserId", command.PrincipalUserId, "principalEmail", command.PrincipalEmail, cancellationToken);
        var principalGrants = await PrincipalGrantsAsync(scope, principal.Id, change: true, cancellationToken);
        var from = command.From ?? throw new InputException("from", "is required");
        var to = command.To ?? throw new InputException("to", "is required");
        if (to < from)
        {
            throw new InputException("to", "must be on or after from");
        }

        if (to < stockholm.LocalDate(clock.GetUtcNow()))
        {
            throw new InputException("to", "must not be in the past");
        }

        var (deputyField, deputy) = await FindUserAsync(scope, "deputyUserId", command.DeputyUserId, "deputyEmail", command.DeputyEmail, cancellationToken);
        if (deputy.Id == principal.Id)
        {
            throw new InputException(deputyField, "a user cannot be their own deputy");
        }

        // What the deputy would hold over the period: their own grants, what others delegate to them meanwhile, and now the principal's.
        var held = await HeldAsync(db, deputy.Id, from, to, cancellationToken);
        await chains.RequireNoConflictAsync(deputyField, deputy.DisplayName, held, principalGrants.Where(IsPower).ToList(), cancellationToken);

        var entity = new DeputyEntity(principal.Id, deputy.Id, from, to) { Id = Guid.NewGuid() };
        await UserAdministration.RecordAsync(db, clock, actor, principal.Id, "DeputyAppointed",
            $"{deputy.Email} for {principal.Email} {from:yyyy-MM-dd}–{to:yyyy-MM-dd}", () => db.Deputies.Add(entity), cancellationToken);
        return new DeputyView(entity.Id, principal.Id, principal.DisplayName, deputy.Id, deputy.DisplayName, from, to);
    }

    /// <summary>Removes a deputy (404 unless the actor may appoint deputies for its principal).</summary>
    public async Task RemoveAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        var scope = RequireAppointer(actor);
        var entity = await db.Deputies.FirstOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException($"No deputy {id}.");
        try
        {
            await PrincipalGrantsAsync(scope, entity.PrincipalUserId, change: true, cancellationToken);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException($"No deputy {id}.");
        }

        await UserAdministration.RecordAsync(db, clock, actor, entity.PrincipalUserId, "DeputyRemoved",
            $"{entity.DeputyUserId} for {entity.PrincipalUserId} {entity.FromDate:yyyy-MM-dd}–{entity.ToDate:yyyy-MM-dd}", () => db.Deputies.Remove(entity), cancellationToken);
    }

    /// <summary>
    /// The grants <paramref name="userId"/> holds, by their own right or as a deputy, on any day from <paramref name="first"/> to
    /// <paramref name="last"/> (<paramref name="last"/> null: from then on).
    /// </summary>
    internal static async Task<List<RoleGrant>> HeldAsync(AnnualCycleDbContext db, string userId, DateOnly first, DateOnly? last, CancellationToken cancellationToken)
    {
        var own = await db.RoleGrants.AsNoTracking().Where(g => g.UserId == userId)
            .Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role)).ToListAsync(cancellationToken);
        var delegated = await (
                from d in db.Deputies.AsNoTracking()
                where d.DeputyUserId == userId && d.ToDate >= first && (last == null || d.FromDate <= last)
                join g in db.RoleGrants.AsNoTracking() on d.PrincipalUserId equals g.UserId
                select new RoleGrant(g.OrganisationId, g.BodyId, g.Role))
            .ToListAsync(cancellationToken);
        return own.Concat(delegated.Where(IsPower)).Distinct().ToList();
    }

    /// <summary>What a deputy acts with: everything but administration (never delegated).</summary>
    internal static bool IsPower(RoleGrant grant) => grant.Role is not (Roles.Administrator or Roles.SystemAdministrator);

    private static OrganisationScope RequireAppointer(Actor actor)
    {
        var scope = actor.AdministeredOrOwned();
        return scope.IsEmpty
            ? throw new ForbiddenActionException("Deputies are appointed by an administrator or the process owner of the organisation.")
            : scope;
    }

    /// <summary>
    /// A deputy acts with every grant of the principal, so whoever appoints one must be an administrator or the process
    /// owner of every organisation the principal holds a grant in (to <paramref name="change"/> them; to see them, one is
    /// enough). A principal the actor cannot see is 404.
    /// </summary>
    private async Task<List<RoleGrant>> PrincipalGrantsAsync(OrganisationScope scope, string principalUserId, bool change, CancellationToken cancellationToken)
    {
        var grants = await db.RoleGrants.AsNoTracking().Where(g => g.UserId == principalUserId)
            .Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role)).ToListAsync(cancellationToken);
        if (!scope.All && !grants.Any(g => scope.Covers(g.OrganisationId)))
        {
            throw new NotFoundException($"No user {principalUserId}.");
        }

        if (change && !scope.All && !scope.CoversAll(grants.Select(g => g.OrganisationId)))
        {
            throw new ForbiddenActionException("The user also holds roles in organisations where you may not appoint deputies; a deputy would act in all of them.");
        }

        return grants;
    }

    /// <summary>A user the actor can see (a grant in one of their organisations), by id or email; anyone else is "no such user".</summary>
    private async Task<(string Field, AppUser User)> FindUserAsync(OrganisationScope scope, string idField, string? id, string emailField, string? email, CancellationToken cancellationToken)
    {
        string field;
        AppUser? user;
        if (!string.IsNullOrWhiteSpace(id))
        {
            field = idField;
            var text = PeopleInput.Text(field, id, 100);
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == text, cancellationToken);
        }
        else if (string.IsNullOrWhiteSpace(email))
        {
            throw new InputException(idField, $"give {idField} or {emailField}");
        }
        else
        {
            field = emailField;
            var normalized = EmailAddresses.Normalize(PeopleInput.Email(field, email));
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        }

        var organisations = user is null ? [] : await db.RoleGrants.AsNoTracking().Where(g => g.UserId == user.Id).Select(g => g.OrganisationId).ToListAsync(cancellationToken);
        return user is not null && (scope.All || organisations.Any(scope.Covers)) ? (field, user) : throw new InputException(field, "no such user");
    }

    private async Task<IReadOnlyList<DeputyView>> ViewsAsync(IQueryable<DeputyEntity> deputies, CancellationToken cancellationToken)
    {
        var rows = await (
                from d in deputies
                join p in db.Users.AsNoTracking() on d.PrincipalUserId equals p.Id
                join u in db.Users.AsNoTracking() on d.DeputyUserId equals u.Id
                select new DeputyView(d.Id, p.Id, p.DisplayName, u.Id, u.DisplayName, d.FromDate, d.ToDate))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.From).ThenBy(r => r.PrincipalName).ThenBy(r => r.DeputyName).ToList();
    }
}
