using System.Security.Claims;
using AnnualCycle.Data.Identity;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Web.People;

public sealed record MeResponse(
    string Id,
    string Email,
    string DisplayName,
    string Language,
    IReadOnlyList<RoleGrant> Grants,
    IReadOnlyList<DelegatedGrant> Delegated,
    string EmailDelivery = nameof(Data.Identity.EmailDelivery.Immediate));

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

    private static async Task<Ok<MeResponse>> GetMeAsync(ClaimsPrincipal user, IActorAccessor actors, UserManager<AppUser> users, CancellationToken ct)
    {
        var actor = await actors.GetAsync(user, ct);
        var app = await users.FindByIdAsync(actor.UserId) ?? throw new ForbiddenActionException("The signed-in user is unknown.");
        return TypedResults.Ok(Response(actor, app));
    }

    private static MeResponse Response(Actor actor, AppUser app) =>
        new(actor.UserId, app.Email ?? "", actor.DisplayName, app.Language, actor.Grants, actor.Delegated, app.EmailDelivery.ToString());

    private static EmailDelivery ParseDelivery(string value) =>
        Enum.TryParse<EmailDelivery>(value.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _)
            ? parsed
            : throw new InputException("emailDelivery", "must be \"Immediate\" or \"WeeklyDigest\"");

    private static async Task<Ok<MeResponse>> UpdateMeAsync(UpdateMeRequest request, ClaimsPrincipal user, IActorAccessor actors, UserManager<AppUser> users, CancellationToken ct)
    {
        var actor = await actors.GetAsync(user, ct);
        var app = await users.FindByIdAsync(actor.UserId) ?? throw new ForbiddenActionException("The signed-in user is unknown.");
        // Both validated before either is saved: a bad field changes nothing.
        var language = request.Language is null ? null : PeopleInput.Language("language", request.Language);
        var delivery = request.EmailDelivery is null ? (EmailDelivery?)null : ParseDelivery(request.EmailDelivery);
        if (language is not null || delivery is not null)
        {
            app.Language = language ?? app.Language;
            app.EmailDelivery = delivery ?? app.EmailDelivery;
            await users.UpdateAsync(app);
        }

        return TypedResults.Ok(Response(actor, app));
    }

    internal static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new ForbiddenActionException("Sign in first.");
}
