using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;

namespace AnnualCycle.Runtime.Cycles;

/// <summary>
/// Who may act, decided from the actor's grants only (pure, no I/O). A grant counts when its organisation
/// and body match; a delegated grant counts the same and names the principal the deputy acts for. The
/// actor's own grant wins over a delegated one. Administrators get nothing here unless they also hold the grant.
/// </summary>
public static class StepAuthorization
{
    /// <summary>The authority the actor acts with: null <see cref="OnBehalfOfUserId"/> when in their own right.</summary>
    public sealed record Authority(string UserId, string? OnBehalfOfUserId);

    public static Authority? FindGrant(Actor actor, string organisationId, string? bodyId, string role)
    {
        if (actor.IsSystem)
        {
            return null;
        }

        if (actor.Grants.Any(g => Matches(g, organisationId, bodyId, role)))
        {
            return new Authority(actor.UserId, null);
        }

        var delegated = actor.Delegated.FirstOrDefault(d => Matches(d.Grant, organisationId, bodyId, role) && d.OnBehalfOfUserId != actor.UserId);
        return delegated is null ? null : new Authority(actor.UserId, delegated.OnBehalfOfUserId);
    }

    /// <summary>Start, reschedule, skip, cancel, remind now: the organisation's process owner.</summary>
    public static Authority RequireProcessOwner(Actor actor, string organisationId) =>
        FindGrant(actor, organisationId, null, Roles.ProcessOwner)
        ?? throw new ForbiddenActionException($"Only a process owner of {organisationId} may do this.");

    /// <summary>Submit: a contributor of the step's body (or their deputy).</summary>
    public static Authority RequireContributor(Actor actor, string organisationId, string bodyId) =>
        FindGrant(actor, organisationId, bodyId, Roles.Contributor)
        ?? throw new ForbiddenActionException($"Only a contributor of {bodyId} may submit this step.");

    /// <summary>Confirm a meeting, milestone or decision: a contributor of the body or the process owner.</summary>
    public static Authority RequireConfirmer(Actor actor, string organisationId, string bodyId) =>
        FindGrant(actor, organisationId, bodyId, Roles.Contributor)
        ?? FindGrant(actor, organisationId, null, Roles.ProcessOwner)
        ?? throw new ForbiddenActionException($"Only a contributor of {bodyId} or a process owner may confirm this step.");

    /// <summary>
    /// Approve or return: the holder of the approval's role in the approval's body, who is not the submitter,
    /// does not act on the submitter's behalf, and is not the principal the submitter acted for.
    /// </summary>
    public static Authority RequireApprover(Actor actor, string organisationId, string approvalBodyId, string approvalRole, string? submittedBy, string? submittedOnBehalfOf)
    {
        var authority = FindGrant(actor, organisationId, approvalBodyId, approvalRole)
            ?? throw new ForbiddenActionException($"Only the holder of {approvalRole} in {approvalBodyId} may decide this approval.");
        var submitters = new[] { submittedBy, submittedOnBehalfOf }.Where(s => s is not null).ToHashSet();
        if (submitters.Contains(authority.UserId) || (authority.OnBehalfOfUserId is not null && submitters.Contains(authority.OnBehalfOfUserId)))
        {
            throw new ForbiddenActionException("Whoever submitted a step may not approve or return it (separation of duties).");
        }

        return authority;
    }

    private static bool Matches(RoleGrant grant, string organisationId, string? bodyId, string role) =>
        string.Equals(grant.OrganisationId, organisationId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(grant.Role, role, StringComparison.OrdinalIgnoreCase)
        && (bodyId is null ? grant.BodyId is null : string.Equals(grant.BodyId, bodyId, StringComparison.OrdinalIgnoreCase));
}
