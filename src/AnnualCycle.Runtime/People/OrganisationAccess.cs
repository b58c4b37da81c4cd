namespace AnnualCycle.Runtime.People;

/// <summary>
/// A set of organisations an actor may act on: every organisation (<see cref="All"/>, a system administrator) or the
/// named ones. Organisation ids compare case-insensitively, as grants do in <c>StepAuthorization</c>.
/// </summary>
public sealed class OrganisationScope
{
    public static readonly OrganisationScope None = new(false, []);
    public static readonly OrganisationScope Everything = new(true, []);

    private readonly HashSet<string> _organisations;

    private OrganisationScope(bool all, IEnumerable<string> organisations)
    {
        All = all;
        _organisations = new HashSet<string>(organisations, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>True for a system administrator: every organisation, also ones loaded later.</summary>
    public bool All { get; }

    /// <summary>The named organisations (empty when <see cref="All"/>).</summary>
    public IReadOnlyCollection<string> Organisations => _organisations;

    public bool IsEmpty => !All && _organisations.Count == 0;

    public static OrganisationScope Of(IEnumerable<string> organisations) => new(false, organisations);

    public bool Covers(string organisationId) => All || _organisations.Contains(organisationId);

    /// <summary>True when every one of <paramref name="organisationIds"/> is covered (a system administrator's <c>*</c> only by <see cref="All"/>).</summary>
    public bool CoversAll(IEnumerable<string> organisationIds) => organisationIds.All(Covers);
}

/// <summary>
/// The one place that decides which organisations a person may administer. An administrator is an administrator of the
/// organisations named in their own <c>administrator</c> grants (administration is never delegated to a deputy); a system
/// administrator (a grant of <see cref="Roles.SystemAdministrator"/> in <see cref="Roles.AllOrganisations"/>, made only by the
/// CLI) administers all of them. A person belongs to ("is of") an organisation through any grant in it, own or delegated.
/// </summary>
public static class OrganisationAccess
{
    /// <summary>Holds the CLI-made system administrator grant (their own, never a deputy's).</summary>
    public static bool IsSystemAdministrator(this Actor actor) =>
        !actor.IsSystem && actor.Grants.Any(g => g.Role == Roles.SystemAdministrator && g.OrganisationId == Roles.AllOrganisations);

    /// <summary>The organisations the actor may administer: users, roles, deputies, the email log.</summary>
    public static OrganisationScope Administered(this Actor actor) =>
        actor.IsSystemAdministrator()
            ? OrganisationScope.Everything
            : OrganisationScope.Of(actor.Grants.Where(g => g.Role == Roles.Administrator && g.OrganisationId != Roles.AllOrganisations).Select(g => g.OrganisationId));

    /// <summary>
    /// The organisations the actor administers or is process owner of (own or delegated for today, as for every
    /// process-owner action): where they appoint deputies, manage the bodies' calendar feeds and read the email log.
    /// </summary>
    public static OrganisationScope AdministeredOrOwned(this Actor actor)
    {
        if (actor.IsSystemAdministrator())
        {
            return OrganisationScope.Everything;
        }

        var owner = actor.Grants.Where(g => g.Role == Roles.ProcessOwner).Select(g => g.OrganisationId)
            .Concat(actor.Delegated.Where(d => d.Grant.Role == Roles.ProcessOwner).Select(d => d.Grant.OrganisationId));
        return OrganisationScope.Of(actor.Administered().Organisations.Concat(owner));
    }

    /// <summary>The organisations the actor belongs to: any grant, own or delegated for today. They may read these organisations' cycles.</summary>
    public static HashSet<string> MemberOf(this Actor actor) =>
        MemberOrganisations(actor).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="organisationId"/> is one of <see cref="MemberOf"/>, without building the set: asked once
    /// per step of a page, for a person with grants in hundreds of organisations.
    /// </summary>
    public static bool IsMemberOf(this Actor actor, string organisationId) =>
        MemberOrganisations(actor).Contains(organisationId, StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> MemberOrganisations(Actor actor) =>
        actor.Grants.Select(g => g.OrganisationId).Concat(actor.Delegated.Select(d => d.Grant.OrganisationId))
            .Where(o => o != Roles.AllOrganisations);

    /// <summary>The administered organisations; 403 when there are none.</summary>
    public static OrganisationScope RequireAdministrator(this Actor actor)
    {
        var scope = actor.Administered();
        return scope.IsEmpty ? throw new ForbiddenActionException("Only an administrator may do this.") : scope;
    }

    /// <summary>403 unless the actor administers <paramref name="organisationId"/>.</summary>
    public static void RequireAdministratorOf(this Actor actor, string organisationId)
    {
        if (!actor.Administered().Covers(organisationId))
        {
            throw new ForbiddenActionException($"Only an administrator of {organisationId} may do this.");
        }
    }

    /// <summary>403 unless the actor is a system administrator.</summary>
    public static void RequireSystemAdministrator(this Actor actor)
    {
        if (!actor.IsSystemAdministrator())
        {
            throw new ForbiddenActionException("Only a system administrator may do this: it spans every organisation.");
        }
    }
}
