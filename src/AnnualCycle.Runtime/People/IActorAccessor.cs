using System.Security.Claims;

namespace AnnualCycle.Runtime.People;

/// <summary>
/// Builds the <see cref="Actor"/> for a signed-in principal: the user's own grants and those delegated to
/// them for today's date (Europe/Stockholm). Throws <c>ForbiddenActionException</c> for an unknown user.
/// </summary>
public interface IActorAccessor
{
    /// <summary>
    /// How long a loaded actor is reused within one scope (and within one UI session): a grant removed or a deputy
    /// period ending shows within seconds.
    /// </summary>
    static TimeSpan CacheFor => TimeSpan.FromSeconds(5);

    Task<Actor> GetAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default);

    Task<Actor> GetByUserIdAsync(string userId, CancellationToken cancellationToken = default);
}
