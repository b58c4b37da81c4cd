using AnnualCycle.Data.People;

namespace AnnualCycle.Runtime.People;

/// <summary>
/// Grants: given and removed only in the caller's organisations, never the system administrator's, never so that one
/// person would give two signatures of one chain, never the last administrator who can sign in.
/// </summary>
public sealed partial class UserAdministration
{
    /// <summary>Adds a grant in one of the caller's organisations; answers 409 when the user already holds it.</summary>
    public async Task<RoleGrant> AddGrantAsync(Actor actor, string userId, GrantCommand command, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        var (user, _) = await FindVisibleAsync(scope, userId, cancellationToken);
        var grant = ValidateGrant(command);
        actor.RequireAdministratorOf(grant.OrganisationId);
        if (await FindGrantAsync(userId, grant, cancellationToken) is not null)
        {
            throw new ConflictException("The user already holds this grant.");
        }

        await RequireSeparationOfDutiesAsync(user, grant, cancellationToken);
        await RecordAsync(db, clock, actor, userId, "GrantAdded", Describe(grant),
            () => db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = userId, OrganisationId = grant.OrganisationId, BodyId = grant.BodyId, Role = grant.Role }),
            cancellationToken);
        return grant;
    }

    public async Task RemoveGrantAsync(Actor actor, string userId, GrantCommand command, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        await FindVisibleAsync(scope, userId, cancellationToken);
        var grant = new RoleGrant(
            PeopleInput.Text("organisationId", command.OrganisationId, 100),
            string.IsNullOrWhiteSpace(command.BodyId) ? null : PeopleInput.Text("bodyId", command.BodyId, 100),
            PeopleInput.Text("role", command.Role, 100));
        RefuseSystemAdministrator(grant);
        actor.RequireAdministratorOf(grant.OrganisationId);
        var entity = await FindGrantAsync(userId, grant, cancellationToken)
            ?? throw new NotFoundException("The user does not hold this grant.");
        if (entity.Role == Roles.Administrator)
        {
            if (userId == actor.UserId)
            {
                throw new ConflictException("You cannot remove your own administrator role; another administrator can.");
            }

            var name = await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstAsync(cancellationToken);
            await RequireAnotherAdministratorAsync(userId, entity.OrganisationId, name, "demoted", cancellationToken);
        }

        await RecordAsync(db, clock, actor, userId, "GrantRemoved", Describe(grant), () => db.RoleGrants.Remove(entity), cancellationToken);
    }

    /// <summary>
    /// No person gives two signatures of one chain, so a role is refused when its holder, or anyone who is (or will be)
    /// their deputy, would then hold two roles of one step's chain: e.g. förvaltningsdirektör of HSF to the nämnd secretary
    /// of HSN, or to the secretary's deputy. Checked against the organisation's definitions and running cycles.
    /// </summary>
    private async Task RequireSeparationOfDutiesAsync(AppUser user, RoleGrant grant, CancellationToken cancellationToken)
    {
        if (!Deputies.IsPower(grant))
        {
            return;
        }

        var today = stockholm.LocalDate(clock.GetUtcNow());
        var held = await Deputies.HeldAsync(db, user.Id, today, null, cancellationToken);
        await chains.RequireNoConflictAsync("role", user.DisplayName, held, [grant], cancellationToken);

        var deputyships = await (
                from d in db.Deputies.AsNoTracking()
                where d.PrincipalUserId == user.Id && d.ToDate >= today
                join u in db.Users.AsNoTracking() on d.DeputyUserId equals u.Id
                select new { d.DeputyUserId, d.FromDate, d.ToDate, u.DisplayName })
            .ToListAsync(cancellationToken);
        foreach (var deputyship in deputyships)
        {
            // The deputy holds the principal's grants (with this one) besides their own over the deputyship's days.
            var deputyHeld = await Deputies.HeldAsync(db, deputyship.DeputyUserId, deputyship.FromDate < today ? today : deputyship.FromDate, deputyship.ToDate, cancellationToken);
            await chains.RequireNoConflictAsync("role", $"{deputyship.DisplayName} (deputy of {user.DisplayName})", deputyHeld, [grant], cancellationToken);
        }
    }

    /// <summary>
    /// An organisation always keeps an administrator who can sign in: without one, nobody could manage its people except
    /// a system administrator on the command line. Another administrator of the organisation, not locked, must remain.
    /// </summary>
    private async Task RequireAnotherAdministratorAsync(string userId, string organisationId, string name, string what, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var others = await (
                from g in db.RoleGrants.AsNoTracking()
                where g.Role == Roles.Administrator && g.OrganisationId == organisationId && g.UserId != userId
                join u in db.Users.AsNoTracking() on g.UserId equals u.Id
                select u.LockoutEnd)
            .ToListAsync(cancellationToken);
        if (!others.Any(end => end is null || end <= now))
        {
            throw new ConflictException($"{name} is the last administrator of {organisationId} who can sign in, so cannot be {what}; make someone else administrator first.");
        }
    }

    /// <summary>
    /// Organisation-wide roles (administrator, process owner, member) have no body; every other role needs one.
    /// When the workflow catalog knows the organisation, the body must exist in it and the role must be
    /// contributor, namnd or one of the roles the body names.
    /// </summary>
    private RoleGrant ValidateGrant(GrantCommand command)
    {
        var organisationId = PeopleInput.Text("organisationId", command.OrganisationId, 100);
        var role = PeopleInput.Text("role", command.Role, 100);
        var bodyId = string.IsNullOrWhiteSpace(command.BodyId) ? null : PeopleInput.Text("bodyId", command.BodyId, 100);
        RefuseSystemAdministrator(new RoleGrant(organisationId, bodyId, role));
        var organisationWide = role is Roles.Administrator or Roles.ProcessOwner or Roles.Member;
        if (organisationWide && bodyId is not null)
        {
            throw new InputException("bodyId", $"must be empty for the role {role}");
        }

        if (!organisationWide && bodyId is null)
        {
            throw new InputException("bodyId", $"is required for the role {role}");
        }

        if (catalog is null || catalog.Organisations.Count == 0)
        {
            return new RoleGrant(organisationId, bodyId, role);
        }

        var organisation = catalog.FindOrganisation(organisationId)
            ?? throw new InputException("organisationId", $"no organisation {organisationId} is loaded");
        if (bodyId is null)
        {
            return new RoleGrant(organisation.Id, null, role);
        }

        var body = organisation.FindBody(bodyId)
            ?? throw new InputException("bodyId", $"{organisation.Id} has no body {bodyId}");
        if (role is not (Roles.Contributor or Roles.Committee) && !body.Roles.Any(r => r.Id == role))
        {
            throw new InputException("role", $"{body.Id} has no role {role}; it has {string.Join(", ", body.Roles.Select(r => r.Id).Prepend(Roles.Contributor))}");
        }

        return new RoleGrant(organisation.Id, body.Id, role);
    }

    /// <summary>The system administrator spans every organisation: it is made by the CLI verb, never through the API or the UI.</summary>
    private static void RefuseSystemAdministrator(RoleGrant grant)
    {
        if (string.Equals(grant.Role, Roles.SystemAdministrator, StringComparison.OrdinalIgnoreCase) || grant.OrganisationId == Roles.AllOrganisations)
        {
            throw new InputException("role", "system-administrator is granted only on the command line (grant-system-admin), never through the API or the UI");
        }
    }

    internal static string Describe(RoleGrant grant) => $"{grant.Role} in {grant.OrganisationId}{(grant.BodyId is null ? "" : "/" + grant.BodyId)}";

    private Task<RoleGrantEntity?> FindGrantAsync(string userId, RoleGrant grant, CancellationToken cancellationToken) =>
        db.RoleGrants.FirstOrDefaultAsync(
            g => g.UserId == userId && g.OrganisationId == grant.OrganisationId && g.BodyId == grant.BodyId && g.Role == grant.Role,
            cancellationToken);
}
