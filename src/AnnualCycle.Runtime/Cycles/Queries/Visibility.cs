namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>Anyone holding any grant (own or delegated) in an organisation may read its cycles.</summary>
internal static class Visibility
{
    public static HashSet<string> Organisations(Actor actor) => People.OrganisationAccess.MemberOf(actor);

    /// <summary>404, not 403: a cycle of another organisation is not shown to exist.</summary>
    public static void Require(Actor actor, string organisationId, Guid id)
    {
        if (!People.OrganisationAccess.IsMemberOf(actor, organisationId))
        {
            throw new NotFoundException($"No cycle {id}.");
        }
    }
}
