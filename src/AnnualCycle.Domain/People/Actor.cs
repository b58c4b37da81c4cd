namespace AnnualCycle.Domain.People;

/// <summary>Role names a grant can carry. Approver roles are named per body in the organisation file (e.g. <c>forvaltningsdirektor</c>).</summary>
public static class Roles
{
    /// <summary>May submit the body's steps (secretary, controller, handläggare).</summary>
    public const string Contributor = "contributor";

    /// <summary>May start cycles, reschedule, skip and cancel for the organisation. Grant with BodyId null.</summary>
    public const string ProcessOwner = "process-owner";

    /// <summary>Users, roles, deputies and the email log of the grant's organisation, and nothing of any other. Grant with BodyId null.</summary>
    public const string Administrator = "administrator";

    /// <summary>
    /// Administers every organisation and the jobs that span them (the Hangfire dashboard). Held only as a grant in
    /// <see cref="AllOrganisations"/>, written by the CLI verb <c>grant-system-admin</c>; the API and the UI never grant it.
    /// </summary>
    public const string SystemAdministrator = "system-administrator";

    /// <summary>The organisation id of the <see cref="SystemAdministrator"/> grant: no organisation, all of them.</summary>
    public const string AllOrganisations = "*";

    /// <summary>Belongs to the organisation without any power in it: what a user created by an administrator starts with. Grant with BodyId null.</summary>
    public const string Member = "member";

    /// <summary>The body itself deciding at its meeting (recorded by its secretary or chair).</summary>
    public const string Committee = "namnd";
}

/// <summary>One role a user holds, scoped to a body of an organisation (BodyId null: the whole organisation).</summary>
public sealed record RoleGrant(string OrganisationId, string? BodyId, string Role);

/// <summary>
/// A grant a deputy (ersättare) holds on behalf of someone else for the current date: the deputy may
/// use it and the journal records <see cref="OnBehalfOfUserId"/>.
/// </summary>
public sealed record DelegatedGrant(RoleGrant Grant, string OnBehalfOfUserId, string OnBehalfOfName);

/// <summary>Who performs a command: the signed-in user with their own grants and the grants delegated to them today.</summary>
public sealed record Actor(
    string UserId,
    string DisplayName,
    IReadOnlyList<RoleGrant> Grants,
    IReadOnlyList<DelegatedGrant> Delegated)
{
    /// <summary>The system itself (timers, start-up reconciliation). Holds no grants; never passes a person's check.</summary>
    public static readonly Actor System = new("system", "AnnualCycle", [], []);

    public bool IsSystem => UserId == System.UserId;
}
