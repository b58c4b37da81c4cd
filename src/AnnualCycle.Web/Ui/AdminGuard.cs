using AnnualCycle.Domain.People;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// The server-side check every admin page runs before it loads or changes anything, besides the page's policy (which
/// only says "administers some organisation"): the organisations the signed-in person administers, from the one rule
/// in <see cref="OrganisationAccess"/>. The runtime services check the same again for each object.
/// </summary>
public static class AdminGuard
{
    /// <summary>The administered organisations; <c>ForbiddenActionException</c> when there are none.</summary>
    public static OrganisationScope Require(Actor actor) => actor.RequireAdministrator();
}
