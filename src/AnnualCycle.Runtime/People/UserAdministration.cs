using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.People;

public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    string Language,
    bool LockedOut,
    IReadOnlyList<RoleGrant> Grants);

public sealed record CreateUserCommand(string? Email, string? DisplayName, string? Language, string? Password);

/// <summary>Fields left null are not changed. <see cref="LockedOut"/> true locks the account until unlocked.</summary>
public sealed record UpdateUserCommand(string? Email, string? DisplayName, string? Language, bool? LockedOut, string? Password);

public sealed record GrantCommand(string? OrganisationId, string? BodyId, string? Role);

/// <summary>
/// Users and their grants, for administrators (the API and the UI call these; the caller checks the
/// administrator grant). Every failure is a <see cref="DomainException"/> naming the field.
/// </summary>
public sealed class UserAdministration(
    AnnualCycleDbContext db,
    UserManager<AppUser> users,
    TimeProvider clock,
    IWorkflowCatalog? catalog = null)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var grants = await db.RoleGrants.AsNoTracking().ToListAsync(cancellationToken);
        var byUser = grants.ToLookup(g => g.UserId);
        return all.Select(u => Summary(u, byUser[u.Id])).ToList();
    }

    public async Task<UserSummary> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(id);
        var grants = await db.RoleGrants.AsNoTracking().Where(g => g.UserId == id).ToListAsync(cancellationToken);
        return Summary(user, grants);
    }

    public async Task<UserSummary> CreateAsync(CreateUserCommand command, CancellationToken cancellationToken = default)
    {
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
        Check(await users.CreateAsync(user, password));
        return await GetAsync(user.Id, cancellationToken);
    }

    public async Task<UserSummary> UpdateAsync(string id, UpdateUserCommand command, CancellationToken cancellationToken = default)
    {
        var user = await FindAsync(id);
        if (command.Email is not null)
        {
            var email = PeopleInput.Email("email", command.Email);
            if (!string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase))
            {
                if (await users.FindByEmailAsync(email) is not null)
                {
                    throw new ConflictException($"A user with the email {email} already exists.");
                }

                Check(await users.SetEmailAsync(user, email));
                Check(await users.SetUserNameAsync(user, email));
                user.EmailConfirmed = true;
            }
        }

        if (command.DisplayName is not null)
        {
            user.DisplayName = PeopleInput.Text("displayName", command.DisplayName, 200);
        }

        if (command.Language is not null)
        {
            user.Language = PeopleInput.Language("language", command.Language);
        }

        if (command.LockedOut is { } locked)
        {
            Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
            if (!locked)
            {
                Check(await users.ResetAccessFailedCountAsync(user));
            }
        }

        if (!string.IsNullOrEmpty(command.Password))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            Check(await users.ResetPasswordAsync(user, token, command.Password));
        }

        Check(await users.UpdateAsync(user));
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Adds a grant; answers 409 when the user already holds it.</summary>
    public async Task<RoleGrant> AddGrantAsync(string userId, GrantCommand command, CancellationToken cancellationToken = default)
    {
        await FindAsync(userId);
        var grant = ValidateGrant(command);
        if (await FindGrantAsync(userId, grant, cancellationToken) is not null)
        {
            throw new ConflictException("The user already holds this grant.");
        }

        db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = userId, OrganisationId = grant.OrganisationId, BodyId = grant.BodyId, Role = grant.Role });
        await db.SaveChangesAsync(cancellationToken);
        return grant;
    }

    public async Task RemoveGrantAsync(string userId, GrantCommand command, CancellationToken cancellationToken = default)
    {
        await FindAsync(userId);
        var grant = new RoleGrant(
            PeopleInput.Text("organisationId", command.OrganisationId, 100),
            string.IsNullOrWhiteSpace(command.BodyId) ? null : PeopleInput.Text("bodyId", command.BodyId, 100),
            PeopleInput.Text("role", command.Role, 100));
        var entity = await FindGrantAsync(userId, grant, cancellationToken)
            ?? throw new NotFoundException("The user does not hold this grant.");
        if (entity.Role == Roles.Administrator && !await db.RoleGrants.AnyAsync(g => g.Role == Roles.Administrator && g.Id != entity.Id, cancellationToken))
        {
            // Without an administrator nobody could grant one again except by editing the database.
            throw new ConflictException("This is the last administrator grant; grant administrator to someone else first.");
        }

        db.RoleGrants.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Organisation-wide roles (administrator, process owner) have no body; every other role needs one.
    /// When the workflow catalog knows the organisation, the body must exist in it and the role must be
    /// contributor, namnd or one of the roles the body names.
    /// </summary>
    private RoleGrant ValidateGrant(GrantCommand command)
    {
        var organisationId = PeopleInput.Text("organisationId", command.OrganisationId, 100);
        var role = PeopleInput.Text("role", command.Role, 100);
        var bodyId = string.IsNullOrWhiteSpace(command.BodyId) ? null : PeopleInput.Text("bodyId", command.BodyId, 100);
        var organisationWide = role is Roles.Administrator or Roles.ProcessOwner;
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

    private Task<RoleGrantEntity?> FindGrantAsync(string userId, RoleGrant grant, CancellationToken cancellationToken) =>
        db.RoleGrants.FirstOrDefaultAsync(
            g => g.UserId == userId && g.OrganisationId == grant.OrganisationId && g.BodyId == grant.BodyId && g.Role == grant.Role,
            cancellationToken);

    private async Task<AppUser> FindAsync(string id) =>
        await users.FindByIdAsync(id) ?? throw new NotFoundException($"No user {id}.");

    private UserSummary Summary(AppUser user, IEnumerable<RoleGrantEntity> grants) => new(
        user.Id,
        user.Email ?? "",
        user.DisplayName,
        user.Language,
        user.LockoutEnd is { } end && end > clock.GetUtcNow(),
        grants.OrderBy(g => g.OrganisationId).ThenBy(g => g.BodyId).ThenBy(g => g.Role)
            .Select(g => new RoleGrant(g.OrganisationId, g.BodyId, g.Role)).ToList());

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
