using AnnualCycle.Domain.People;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace AnnualCycle.Web.Auth;

/// <summary>Authorization policy names for the UI (<c>[Authorize(Policy = …)]</c>) and the API (<c>RequireAuthorization(…)</c>).</summary>
public static class Policies
{
    /// <summary>Holds an administrator grant of their own in some organisation, or is a system administrator; the handlers keep each to their organisations.</summary>
    public const string Administrator = "Administrator";

    /// <summary>Holds a process-owner grant, their own or delegated to them for today.</summary>
    public const string ProcessOwner = "ProcessOwner";

    public static IServiceCollection AddAnnualCycleAuthorization(this IServiceCollection services)
    {
        services.AddScoped<IAuthorizationHandler, GrantAuthorizationHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Administrator, p => p.RequireAuthenticatedUser().AddRequirements(new GrantRequirement(Roles.Administrator, AllowDelegated: false)))
            .AddPolicy(ProcessOwner, p => p.RequireAuthenticatedUser().AddRequirements(new GrantRequirement(Roles.ProcessOwner, AllowDelegated: true)));
        return services;
    }
}

/// <summary>The actor holds <see cref="Role"/> in some body. Administration is never delegated.</summary>
public sealed record GrantRequirement(string Role, bool AllowDelegated) : IAuthorizationRequirement;

/// <summary>Loads the <see cref="Actor"/> of the principal (so grants are always read from the database, never from a stale token).</summary>
/// <remarks>
/// Each check reads through a scope of its own: in a Blazor circuit the handler lives in the circuit's scope for
/// hours, and several <c>AuthorizeView</c>s evaluating at once would otherwise share one DbContext concurrently.
/// </remarks>
public sealed class GrantAuthorizationHandler(IServiceScopeFactory scopes) : AuthorizationHandler<GrantRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, GrantRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var actor = await scope.ServiceProvider.GetRequiredService<IActorAccessor>().GetAsync(context.User);
            if ((requirement.AllowDelegated ? actor.HasOwnOrDelegated(requirement.Role) : actor.HasOwn(requirement.Role))
                || (requirement.Role == Roles.Administrator && actor.IsSystemAdministrator()))
            {
                context.Succeed(requirement);
            }
        }
        catch (ForbiddenActionException)
        {
            // Unknown or locked user: the requirement stays unmet.
        }
    }
}

/// <summary>
/// The Hangfire dashboard at <c>/ops/hangfire</c> shows and changes the jobs of every organisation at once (timers, outbox,
/// digest), so only a system administrator (made with the CLI verb <c>grant-system-admin</c>) opens it, with full rights.
/// An administrator or process owner of one organisation gets 403. Uses the cookie principal, as a browser does.
/// </summary>
public sealed class HangfireDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    private const string ReadOnlyKey = "annualcycle.hangfire.readonly";

    /// <summary>For <c>DashboardOptions.IsReadOnlyFunc</c>: read-only unless the filter found a system administrator.</summary>
    public static bool IsReadOnly(DashboardContext context) =>
        context.GetHttpContext().Items[ReadOnlyKey] is not false;

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!result.Succeeded || result.Principal is null)
        {
            return false;
        }

        try
        {
            var actor = await http.RequestServices.GetRequiredService<IActorAccessor>().GetAsync(result.Principal, http.RequestAborted);
            http.Items[ReadOnlyKey] = !actor.IsSystemAdministrator();
            return actor.IsSystemAdministrator();
        }
        catch (ForbiddenActionException)
        {
            return false;
        }
    }
}
