using System.Security.Claims;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Account;

namespace AnnualCycle.Web.People;

public sealed record MeResponse(
    string Id,
    string Email,
    string DisplayName,
    string Language,
    IReadOnlyList<RoleGrant> Grants,
    IReadOnlyList<DelegatedGrant> Delegated,
    string EmailDelivery = "Immediate");

/// <param name="Language">"sv" or "en".</param>
/// <param name="EmailDelivery">"Immediate" or "WeeklyDigest" (overdue notices and escalations are always immediate).</param>
public sealed record UpdateMeRequest(string? Language, string? EmailDelivery = null);

/// <summary><c>/api/v1/me</c>: who am I, my language, and my deputies.</summary>
public static class MeEndpoints
{
    public static void MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization();

        me.MapGet("", GetMeAsync).WithName("GetMe").WithSummary("The signed-in user with their grants and those delegated to them today.");
        me.MapPatch("", UpdateMeAsync).WithName("UpdateMe").WithSummary("Set the user's language (sv or en) and email delivery (Immediate or WeeklyDigest).");

        // Read only: deputies are appointed by an administrator or the process owner (/api/v1/admin/users/{id}/deputies),
        // never by the user, who could otherwise hand their signature to someone holding another one of the same chain.
        me.MapGet("/deputies", async (ClaimsPrincipal user, Deputies deputies, CancellationToken ct) =>
                TypedResults.Ok(await deputies.ListAsync(UserId(user), ct)))
            .WithName("ListMyDeputies").WithSummary("My deputies and those I am deputy for (appointed by an administrator or the process owner).");
    }

    private static async Task<Ok<MeResponse>> GetMeAsync(ClaimsPrincipal user, IActorAccessor actors, MySettingsHandler settings, CancellationToken ct)
    {
        var actor = await actors.GetAsync(user, ct);
        return TypedResults.Ok(Response(actor, await settings.GetAsync(actor, ct)));
    }

    private static async Task<Ok<MeResponse>> UpdateMeAsync(UpdateMeRequest request, ClaimsPrincipal user, IActorAccessor actors, MySettingsHandler settings, CancellationToken ct)
    {
        var actor = await actors.GetAsync(user, ct);
        return TypedResults.Ok(Response(actor, await settings.UpdateAsync(actor, new UpdateMySettingsCommand(request.Language, request.EmailDelivery), ct)));
    }

    private static MeResponse Response(Actor actor, MySettingsDto settings) =>
        new(actor.UserId, settings.Email, actor.DisplayName, settings.Language, actor.Grants, actor.Delegated, settings.EmailDelivery);

    internal static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new ForbiddenActionException("Sign in first.");
}
