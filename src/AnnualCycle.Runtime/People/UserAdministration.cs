using AnnualCycle.Data.People;
using Microsoft.AspNetCore.Identity;

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
public sealed partial class UserAdministration(
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

    internal static string Subject(string userId) => $"users/{userId}";

    /// <summary>
    /// An administrator's change about one user (a grant, a deputy): made and journalled in one locked unit of work, so
    /// the journal never tells of a change that was not saved, nor a change goes unrecorded.
    /// </summary>
    internal static Task RecordAsync(AnnualCycleDbContext db, TimeProvider clock, Actor actor, string subjectUserId, string @event, string detail, Action change, CancellationToken cancellationToken) =>
        EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(cancellationToken);
            change();
            work.Journal(null, actor.UserId, null, @event, null, null, null, detail, Subject(subjectUserId));
            return true;
        }, null, cancellationToken);

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
