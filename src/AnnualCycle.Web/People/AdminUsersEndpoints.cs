using AnnualCycle.Web.Auth;

namespace AnnualCycle.Web.People;

/// <summary>
/// <c>/api/v1/admin/users</c>: users and their grants, for administrators, each within the organisations they administer;
/// <c>/api/v1/deputies</c>: deputies, appointed by administrators and process owners.
/// </summary>
public static class AdminUsersEndpoints
{
    public static void MapAdminUsersEndpoints(this IEndpointRouteBuilder app)
    {
        // The policy lets in anyone who administers some organisation; UserAdministration keeps each to their own.
        var users = app.MapGroup("/api/v1/admin/users").WithTags("Administration").RequireAuthorization(Policies.Administrator);

        users.MapGet("", async (HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.ListAsync(await actors.GetAsync(http.User, ct), ct)))
            .WithName("ListUsers").WithSummary("The users with a grant in an organisation the caller administers (every user for a system administrator).");
        users.MapGet("/{id}", async (string id, HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.GetAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("GetUser");
        users.MapPost("", async (CreateUserCommand command, HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
            {
                var user = await admin.CreateAsync(await actors.GetAsync(http.User, ct), command, ct);
                return TypedResults.Created($"/api/v1/admin/users/{user.Id}", user);
            })
            .WithName("CreateUser").WithSummary("Create a local user (email, displayName, language sv|en, password of at least 12 characters) as a member of organisationId (may be left out by an administrator of one organisation).");
        users.MapPut("/{id}", async (string id, UpdateUserCommand command, HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.UpdateAsync(await actors.GetAsync(http.User, ct), id, command, ct)))
            .WithName("UpdateUser").WithSummary("Change email, display name, language, lock state or password (only for users all of whose grants the caller administers); null fields stay as they are.");

        users.MapPost("/{id}/grants", async (string id, GrantCommand command, HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/admin/users/{id}", await admin.AddGrantAsync(await actors.GetAsync(http.User, ct), id, command, ct)))
            .WithName("AddGrant").WithSummary("Grant a role in a body of an organisation the caller administers (bodyId empty for administrator, process-owner and member).");
        users.MapDelete("/{id}/grants", async (string id, [FromQuery] string? organisationId, [FromQuery] string? bodyId, [FromQuery] string? role, HttpContext http, [FromServices] IActorAccessor actors, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.RemoveGrantAsync(await actors.GetAsync(http.User, ct), id, new GrantCommand(organisationId, bodyId, role), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveGrant").WithSummary("Remove a grant, given as ?organisationId=&bodyId=&role=.");

        // Deputies: administrators and process owners, each for the people of their organisations (Deputies checks).
        var deputies = app.MapGroup("/api/v1/deputies").WithTags("Administration").RequireAuthorization();
        deputies.MapGet("", async (HttpContext http, [FromServices] IActorAccessor actors, Deputies service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(await actors.GetAsync(http.User, ct), ct)))
            .WithName("ListDeputies").WithSummary("The deputies of the people of the organisations where the caller appoints deputies (administrator or process owner).");
        deputies.MapPost("", async (AppointDeputyCommand command, HttpContext http, [FromServices] IActorAccessor actors, Deputies service, CancellationToken ct) =>
            {
                var view = await service.AppointAsync(await actors.GetAsync(http.User, ct), command, ct);
                return TypedResults.Created($"/api/v1/deputies/{view.Id}", view);
            })
            .WithName("AppointDeputy")
            .WithSummary("Appoint a deputy (ersättare): principalUserId or principalEmail, deputyUserId or deputyEmail, from and to (both included). Refused when the deputy would hold two signatures of one step's chain.");
        deputies.MapDelete("/{id:guid}", async (Guid id, HttpContext http, [FromServices] IActorAccessor actors, Deputies service, CancellationToken ct) =>
            {
                await service.RemoveAsync(await actors.GetAsync(http.User, ct), id, ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveDeputy");
    }
}
