using AnnualCycle.Data.People;

namespace AnnualCycle.Runtime.People;

/// <summary>What a system-administrator command did.</summary>
public enum SystemAdministratorChange
{
    Granted,
    AlreadyHeld,
    Revoked,
    NotHeld,
}

/// <summary>
/// The system administrator: one grant of <see cref="Roles.SystemAdministrator"/> in <see cref="Roles.AllOrganisations"/>,
/// spanning every organisation. Only the command line (<c>grant-system-admin</c>, <c>revoke-system-admin</c>, run by
/// whoever operates the server and its configuration) calls this; the API and the UI refuse the role. Each change is
/// journalled with the actor <see cref="CommandLineActor"/>.
/// </summary>
public static class SystemAdministrators
{
    /// <summary>The journal's actor for changes made on the command line.</summary>
    public const string CommandLineActor = "command-line";

    public static async Task<SystemAdministratorChange> GrantAsync(AnnualCycleDbContext db, TimeProvider clock, string? email, CancellationToken ct = default)
    {
        var userId = await FindAsync(db, email, ct);
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(ct);
            if (await HeldAsync(db, userId, ct) is not null)
            {
                return SystemAdministratorChange.AlreadyHeld;
            }

            db.RoleGrants.Add(new RoleGrantEntity { Id = Guid.NewGuid(), UserId = userId, OrganisationId = Roles.AllOrganisations, BodyId = null, Role = Roles.SystemAdministrator });
            work.Journal(null, CommandLineActor, null, "SystemAdministratorGranted", null, null, null, email?.Trim(), UserAdministration.Subject(userId));
            return SystemAdministratorChange.Granted;
        }, null, ct);
    }

    public static async Task<SystemAdministratorChange> RevokeAsync(AnnualCycleDbContext db, TimeProvider clock, string? email, CancellationToken ct = default)
    {
        var userId = await FindAsync(db, email, ct);
        return await EngineWork.RunAsync(db, clock, async work =>
        {
            await work.LockAsync(ct);
            if (await HeldAsync(db, userId, ct) is not { } grant)
            {
                return SystemAdministratorChange.NotHeld;
            }

            db.RoleGrants.Remove(grant);
            work.Journal(null, CommandLineActor, null, "SystemAdministratorRevoked", null, null, null, email?.Trim(), UserAdministration.Subject(userId));
            return SystemAdministratorChange.Revoked;
        }, null, ct);
    }

    /// <summary>The emails of the system administrators, for the command line's listing.</summary>
    public static Task<List<string>> ListAsync(AnnualCycleDbContext db, CancellationToken ct = default) =>
        (from g in db.RoleGrants.AsNoTracking()
         where g.Role == Roles.SystemAdministrator && g.OrganisationId == Roles.AllOrganisations
         join u in db.Users.AsNoTracking() on g.UserId equals u.Id
         orderby u.Email
         select u.Email ?? u.Id).ToListAsync(ct);

    private static Task<RoleGrantEntity?> HeldAsync(AnnualCycleDbContext db, string userId, CancellationToken ct) =>
        db.RoleGrants.FirstOrDefaultAsync(g => g.UserId == userId && g.OrganisationId == Roles.AllOrganisations && g.BodyId == null && g.Role == Roles.SystemAdministrator, ct);

    private static async Task<string> FindAsync(AnnualCycleDbContext db, string? email, CancellationToken ct)
    {
        var normalized = EmailAddresses.Normalize(PeopleInput.Email("email", email));
        return await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"No user has the email {email?.Trim()}; create the user first (an administrator, or the demo seed).");
    }
}
