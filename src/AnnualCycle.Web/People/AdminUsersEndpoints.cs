using AnnualCycle.Runtime.People;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AnnualCycle.Web.People;

/// <summary><c>/api/v1/admin/users</c>: users, their grants and their deputies, for administrators only.</summary>
public static class AdminUsersEndpoints
{
    public static void MapAdminUsersEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/admin/users").WithTags("Administration").RequireAuthorization(Policies.Administrator);

        users.MapGet("", async (UserAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.ListAsync(ct)))
            .WithName("ListUsers");
        users.MapGet("/{id}", async (string id, UserAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.GetAsync(id, ct)))
            .WithName("GetUser");
        users.MapPost("", async (CreateUserCommand command, UserAdministration admin, CancellationToken ct) =>
            {
                var user = await admin.CreateAsync(command, ct);
                return TypedResults.Created($"/api/v1/admin/users/{user.Id}", user);
            })
            .WithName("CreateUser").WithSummary("Create a local user (email, displayName, language sv|en, password of at least 12 characters).");
        users.MapPut("/{id}", async (string id, UpdateUserCommand command, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.UpdateAsync(id, command, ct)))
            .WithName("UpdateUser").WithSummary("Change email, display name, language, lock state or password; null fields stay as they are.");

        users.MapPost("/{id}/grants", async (string id, GrantCommand command, UserAdministration admin, CancellationToken ct) =>
                TypedResults.Created($"/api/v1/admin/users/{id}", await admin.AddGrantAsync(id, command, ct)))
            .WithName("AddGrant").WithSummary("Grant a role in a body (bodyId empty for administrator and process-owner).");
        users.MapDelete("/{id}/grants", async (string id, [FromQuery] string? organisationId, [FromQuery] string? bodyId, [FromQuery] string? role, UserAdministration admin, CancellationToken ct) =>
            {
                await admin.RemoveGrantAsync(id, new GrantCommand(organisationId, bodyId, role), ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveGrant").WithSummary("Remove a grant, given as ?organisationId=&bodyId=&role=.");

        users.MapGet("/{id}/deputies", async (string id, Deputies deputies, CancellationToken ct) => TypedResults.Ok(await deputies.ListAsync(id, ct)))
            .WithName("ListUserDeputies");
        users.MapPost("/{id}/deputies", async (string id, NameDeputyCommand command, Deputies deputies, CancellationToken ct) =>
            {
                var view = await deputies.NameAsync(id, command, ct);
                return TypedResults.Created($"/api/v1/admin/users/{id}/deputies/{view.Id}", view);
            })
            .WithName("NameUserDeputy");
        users.MapDelete("/{id}/deputies/{deputyId:guid}", async (string id, Guid deputyId, Deputies deputies, CancellationToken ct) =>
            {
                await deputies.RemoveAsync(id, deputyId, ct);
                return TypedResults.NoContent();
            })
            .WithName("RemoveUserDeputy");
    }
}
