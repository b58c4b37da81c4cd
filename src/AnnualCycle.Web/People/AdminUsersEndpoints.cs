using AnnualCycle.Runtime.People;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AnnualCycle.Web.People;

/// <summary><c>/api/v1/admin/users</c>: users, their grants and their deputies, for administrators, each within the organisations they administer.</summary>
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

        users.MapGet("/{id}/deputies", async (string id, HttpContext http, [FromServices] IActorAccessor actors, Deputies deputies, CancellationToken ct) =>
                TypedResults.Ok(await deputies.ListAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("ListUserDeputies");
        users.MapPost("/{id}/deputies", async (string id, NameDeputyCommand command, HttpContext http, [FromServices] IActorAccessor actors, Deputies deputies, CancellationToken ct) =>
            {
                var view = await deputies.NameAsync(await actors.GetAsync(http.User, ct), id, command, ct);
                return TypedResults.Created($"/api/v1/admin/users/{id}/deputies/{view.Id}", view);
            })
            .WithName("NameUserDeputy").WithSummary("Appoint a deputy (ersättare) for the user from a date to a date, both included.");
        users.MapDelete("/{id}/deputies/{deputyId:guid}", async (string id, Guid deputyId, HttpContext http, [FromServices] IActorAccessor actors, Deputies deputies, CancellationToken ct) =>
            {
                await deputies.RemoveAsync(await actors.GetAsync(http.User, ct), id, deputyId, ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveUserDeputy");
    }
}
