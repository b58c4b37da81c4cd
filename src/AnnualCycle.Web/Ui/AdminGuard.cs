using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.People;

namespace AnnualCycle.Web.Ui;

/// <summary>
/// The administrator check the people services leave to their caller ("the caller checks the administrator
/// grant"): every admin page command runs it on the server, besides the page's policy.
/// </summary>
public static class AdminGuard
{
    public static void Require(Actor actor)
    {
        if (!actor.HasOwn(Roles.Administrator))
        {
            throw new ForbiddenActionException("Only an administrator may do this.");
        }
    }
}
