using System.Security.Claims;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Account;
using AnnualCycle.Runtime.People;
using Microsoft.AspNetCore.Http.HttpResults;

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

/// <summary><c>/api/v1/me</c>: who am I, my language, and the deputies I name.</summary>
public static class MeEndpoints
{
    public static void MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization();

        me.MapGet("", GetMeAsync).WithName("GetMe").WithSummary("The signed-in user with their grants and those delegated to them today.");
        me.MapPatch("", UpdateMeAsync).WithName("UpdateMe").WithSummary("Set the user's language (sv or en) and email delivery (Immediate or WeeklyDigest).");

        me.MapGet("/deputies", async (ClaimsPrincipal user, Deputies deputies, CancellationToken ct) =>
                TypedResults.Ok(await deputies.ListAsync(UserId(user), ct)))
            .WithName("ListMyDeputies").WithSummary("The deputies I have named and those who named me.");
        me.MapPost("/deputies", async (NameDeputyCommand command, ClaimsPrincipal user, Deputies deputies, CancellationToken ct) =>
            {
                var view = await deputies.NameAsync(UserId(user), command, ct);
                return TypedResults.Created($"/api/v1/me/deputies/{view.Id}", view);
            })
            .WithName("NameMyDeputy").WithSummary("Name a deputy (ersättare) for a date range, both days included.");
        me.MapDelete("/deputies/{id:guid}", async (Guid id, ClaimsPrincipal user, Deputies deputies, CancellationToken ct) =>
            {
                await deputies.RemoveAsync(UserId(user), id, ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveMyDeputy");
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
