using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.People;

/// <param name="Grants">The user's grants in the organisations the caller administers (every grant for a system administrator).</param>
/// <param name="OtherOrganisations">True when the user also holds grants the caller does not administer: then only an
/// administrator of all of them (or a system administrator) may change the account (password, lock, email, name).</param>
public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    string Language,
    bool LockedOut,
    IReadOnlyList<RoleGrant> Grants,
    bool OtherOrganisations = false);

/// <param name="OrganisationId">The organisation the new user belongs to (a <c>member</c> grant); may be left out by an
/// administrator of exactly one organisation.</param>
public sealed record CreateUserCommand(string? Email, string? DisplayName, string? Language, string? Password, string? OrganisationId = null);

/// <summary>Fields left null are not changed. <see cref="LockedOut"/> true locks the account until unlocked.</summary>
public sealed record UpdateUserCommand(string? Email, string? DisplayName, string? Language, bool? LockedOut, string? Password);

public sealed record GrantCommand(string? OrganisationId, string? BodyId, string? Role);

/// <summary>
/// Users and their grants, for administrators, within the organisations they administer (<see cref="OrganisationAccess"/>):
/// a user is of an organisation through their grants, and a user without a grant in one of the caller's organisations is
/// not shown to exist (404). Grants are given and removed only in the caller's organisations (403 otherwise). The account
/// itself (password, lock, email, name, language) is changed only by someone who administers every organisation the
/// user holds a grant in, so an administrator of one region cannot take over a person of another. The API and the UI
/// call these with the signed-in actor; every change is journalled. Every failure is a <see cref="DomainException"/>.
/// </summary>
public sealed class UserAdministration(
    AnnualCycleDbContext db,
    UserManager<AppUser> users,
    TimeProvider clock,
    StockholmTime stockholm,
    SignatureChains chains,
    IWorkflowCatalog? catalog = null)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var byUser = (await db.RoleGrants.AsNoTracking().ToListAsync(cancellationToken)).ToLookup(g => g.UserId);
        return all.Where(u => IsVisible(scope, byUser[u.Id])).Select(u => Summary(u, byUser[u.Id], scope)).ToList();
    }

    public async Task<UserSummary> GetAsync(Actor actor, string id, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        var (user, grants) = await FindVisibleAsync(scope, id, cancellationToken);
        return Summary(user, grants, scope);
    }

    /// <summary>Creates a local user who belongs to one of the caller's organisations (a <c>member</c> grant there).</summary>
    public async Task<UserSummary> CreateAsync(Actor actor, CreateUserCommand command, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        var organisationId = OrganisationOf(scope, command.OrganisationId);
        var email = PeopleInput.Email("email", command.Email);
        var displayName = PeopleInput.Text("displayName", command.DisplayName, 200);
        var language = PeopleInput.Language("language", command.Language);
        var password = command.Password ?? "";
        if (password.Length == 0)
        {
            throw new InputException("password", "is required");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new ConflictException($"A user with the email {email} already exists.");
        }

        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName, Language = language };
        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(cancellationToken);
            Check(await users.CreateAsync(user, password));
            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = user.Id, OrganisationId = organisationId, BodyId = null, Role = Roles.Member });
            work.Journal(null, actor.UserId, null, "UserCreated", null, null, null, $"{email} in {organisationId}", Subject(user.Id));
            return true;
        }, null, cancellationToken);
        return await GetAsync(actor, user.Id, cancellationToken);
    }

    public async Task<UserSummary> UpdateAsync(Actor actor, string id, UpdateUserCommand command, CancellationToken cancellationToken = default)
    {
        var scope = actor.RequireAdministrator();
        var (user, grants) = await FindVisibleAsync(scope, id, cancellationToken);
        var changesAccount = command.Email is not null || command.DisplayName is not null || command.Language is not null
            || command.LockedOut is not null || !string.IsNullOrEmpty(command.Password);
        if (changesAccount)
        {
            RequireWholeAccount(scope, grants);
        }

        // Everything is checked before anything is saved: a bad field changes nothing.
        var email = command.Email is null ? null : PeopleInput.Email("email", command.Email);
        var displayName = command.DisplayName is null ? null : PeopleInput.Text("displayName", command.DisplayName, 200);
        var language = command.Language is null ? null : PeopleInput.Language("language", command.Language);
        if (email is not null && string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            email = null;
        }

        if (email is not null && await users.FindByEmailAsync(email) is not null)
        {
            throw new ConflictException($"A user with the email {email} already exists.");
        }

        if (command.LockedOut == true)
        {
            if (id == actor.UserId)
            {
                throw new ConflictException("You cannot lock yourself out; another administrator can.");
            }

            foreach (var organisationId in grants.Where(g => g.Role == Roles.Administrator).Select(g => g.OrganisationId))
            {
                await RequireAnotherAdministratorAsync(id, organisationId, user.DisplayName, "locked", cancellationToken);
            }
        }

        var tracked = await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");
        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(cancellationToken);
            if (email is not null)
            {
                work.Journal(null, actor.UserId, null, "UserEmailChanged", null, null, null, $"{tracked.Email} → {email}", Subject(id));
                Check(await users.SetEmailAsync(tracked, email));
                Check(await users.SetUserNameAsync(tracked, email));
                tracked.EmailConfirmed = true;
            }

            tracked.DisplayName = displayName ?? tracked.DisplayName;
            tracked.Language = language ?? tracked.Language;
            if (command.LockedOut is { } locked)
            {
                Check(await users.SetLockoutEndDateAsync(tracked, locked ? DateTimeOffset.MaxValue : null));
                if (!locked)
                {
                    Check(await users.ResetAccessFailedCountAsync(tracked));
                }

                work.Journal(null, actor.UserId, null, locked ? "UserLocked" : "UserUnlocked", null, null, null, tracked.Email, Subject(id));
            }

            if (!string.IsNullOrEmpty(command.Password))
            {
                var token = await users.GeneratePasswordResetTokenAsync(tracked);
                Check(await users.ResetPasswordAsync(tracked, token, command.Password));
                work.Journal(null, actor.UserId, null, "PasswordReset", null, null, null, tracked.Email, Subject(id));
            }

            Check(await users.UpdateAsync(tracked));
            return true;
        }, null, cancellationToken);
        return await GetAsync(actor, id, cancellationToken);
    }

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
        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(cancellationToken);
            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = userId, OrganisationId = grant.OrganisationId, BodyId = grant.BodyId, Role = grant.Role });
            work.Journal(null, actor.UserId, null, "GrantAdded", null, null, null, Describe(grant), Subject(userId));
            return true;
        }, null, cancellationToken);
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

        await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(cancellationToken);
            db.RoleGrants.Remove(entity);
            work.Journal(null, actor.UserId, null, "GrantRemoved", null, null, null, Describe(grant), Subject(userId));
            return true;
        }, null, cancellationToken);
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

    /// <summary>A user is shown to an administrator when they hold a grant in one of the administrator's organisations.</summary>
    internal static bool IsVisible(OrganisationScope scope, IEnumerable<RoleGrantEntity> grants) =>
        scope.All || grants.Any(g => scope.Covers(g.OrganisationId));

    /// <summary>
    /// The account (password, lock, email, name, language) belongs to every organisation the user holds a grant in: only
    /// someone who administers all of them changes it. A user with grants in two regions needs an administrator of both
    /// or a system administrator.
    /// </summary>
    internal static void RequireWholeAccount(OrganisationScope scope, IReadOnlyCollection<RoleGrantEntity> grants)
    {
        if (!scope.All && (grants.Count == 0 || !scope.CoversAll(grants.Select(g => g.OrganisationId))))
        {
            throw new ForbiddenActionException(
                "The user also holds roles in organisations you do not administer; only an administrator of all of them, or a system administrator, may change the account.");
        }
    }

    /// <summary>The user and all their grants; 404 when none of the grants is in the caller's organisations.</summary>
    internal async Task<(AppUser User, List<RoleGrantEntity> Grants)> FindVisibleAsync(OrganisationScope scope, string id, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        var grants = user is null ? [] : await db.RoleGrants.AsNoTracking().Where(g => g.UserId == id).ToListAsync(cancellationToken);
        return user is not null && IsVisible(scope, grants) ? (user, grants) : throw new NotFoundException($"No user {id}.");
    }

    private string OrganisationOf(OrganisationScope scope, string? requested)
    {
        string organisationId;
        if (string.IsNullOrWhiteSpace(requested))
        {
            organisationId = !scope.All && scope.Organisations.Count == 1
                ? scope.Organisations.First()
                : throw new InputException("organisationId", "is required: the organisation the user belongs to");
        }
        else
        {
            organisationId = PeopleInput.Text("organisationId", requested, 100);
        }

        if (organisationId == Roles.AllOrganisations)
        {
            throw new InputException("organisationId", "must name one organisation");
        }

        if (catalog is { Organisations.Count: > 0 })
        {
            organisationId = catalog.FindOrganisation(organisationId)?.Id
                ?? throw new InputException("organisationId", $"no organisation {organisationId} is loaded");
        }

        return scope.Covers(organisationId)
            ? organisationId
            : throw new ForbiddenActionException($"Only an administrator of {organisationId} may create its users.");
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

    internal static string Subject(string userId) => $"users/{userId}";

    internal static string Describe(RoleGrant grant) => $"{grant.Role} in {grant.OrganisationId}{(grant.BodyId is null ? "" : "/" + grant.BodyId)}";

    private Task<RoleGrantEntity?> FindGrantAsync(string userId, RoleGrant grant, CancellationToken cancellationToken) =>
        db.RoleGrants.FirstOrDefaultAsync(
            g => g.UserId == userId && g.OrganisationId == grant.OrganisationId && g.BodyId == grant.BodyId && g.Role == grant.Role,
            cancellationToken);

    private UserSummary Summary(AppUser user, IEnumerable<RoleGrantEntity> grants, OrganisationScope scope)
    {
        var all = grants.ToList();
        return new(
            user.Id,
            user.Email ?? "",
            user.DisplayName,
            user.Language,
            user.LockoutEnd is { } end && end > clock.GetUtcNow(),
            all.Where(g => scope.Covers(g.OrganisationId))
                .OrderBy(g => g.OrganisationId).ThenBy(g => g.BodyId).ThenBy(g => g.Role)
                .Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role)).ToList(),
            all.Any(g => !scope.Covers(g.OrganisationId)));
    }

    /// <summary>Identity's password and user-name rules become 400s naming the field they are about.</summary>
    private static void Check(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        var error = result.Errors.First();
        var field = error.Code switch
        {
            var c when c.StartsWith("Password", StringComparison.Ordinal) => "password",
            var c when c.Contains("Email", StringComparison.Ordinal) || c.Contains("UserName", StringComparison.Ordinal) => "email",
            "ConcurrencyFailure" => throw new ConflictException(error.Description),
            _ => "user",
        };
        throw new InputException(field, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
