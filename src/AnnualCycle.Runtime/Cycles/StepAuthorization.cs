namespace AnnualCycle.Runtime.Cycles;

/// <summary>
/// Which grant an actor may use, decided from the actor's grants only (pure, no I/O). A grant counts when its
/// organisation and body match; a delegated grant counts the same and names the principal the deputy acts for.
/// The actor's own grant comes before a delegated one. Administrators get nothing here unless they also hold the
/// grant. What a person may do with a step is <see cref="StepCapabilities"/>, built on this.
/// </summary>
public static class StepAuthorization
{
    /// <summary>The authority the actor acts with: null <see cref="OnBehalfOfUserId"/> when in their own right.</summary>
    public sealed record Authority(string UserId, string? OnBehalfOfUserId)
    {
        /// <summary>This authority acting at <paramref name="atUtc"/>: what the row of the act records of who, for whom, when.</summary>
        public Attribution At(DateTime atUtc) => new(UserId, OnBehalfOfUserId, atUtc);
    }

    /// <summary>The first authority the actor holds for the role (own before delegated), or null.</summary>
    public static Authority? FindGrant(Actor actor, string organisationId, string? bodyId, string role) =>
        Authorities(actor, organisationId, bodyId, role).FirstOrDefault();

    /// <summary>Every authority the actor holds for the role: their own grant first, then each principal they stand in for.</summary>
    public static IEnumerable<Authority> Authorities(Actor actor, string organisationId, string? bodyId, string role)
    {
        if (actor.IsSystem)
        {
            yield break;
        }

        if (actor.Grants.Any(g => Matches(g, organisationId, bodyId, role)))
        {
            yield return new Authority(actor.UserId, null);
        }

        foreach (var principal in actor.Delegated.Where(d => Matches(d.Grant, organisationId, bodyId, role) && d.OnBehalfOfUserId != actor.UserId)
                     .Select(d => d.OnBehalfOfUserId).Distinct(StringComparer.Ordinal))
        {
            yield return new Authority(actor.UserId, principal);
        }
    }

    /// <summary>Start a cycle: the organisation's process owner (the step actions are <see cref="StepCapabilities"/>).</summary>
    public static Authority RequireProcessOwner(Actor actor, string organisationId) =>
        FindGrant(actor, organisationId, null, Roles.ProcessOwner)
        ?? throw new ForbiddenActionException($"Only a process owner of {organisationId} may do this.");

    private static bool Matches(RoleGrant grant, string organisationId, string? bodyId, string role) =>
        string.Equals(grant.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(grant.Role, role, StringComparison.OrdinalIgnoreCase)
        && (bodyId is null ? grant.BodyId is null : string.Equals(grant.BodyId, bodyId, StringComparison.OrdinalIgnoreCase));
}
