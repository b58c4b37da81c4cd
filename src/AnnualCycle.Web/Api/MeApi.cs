using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Web.Api;

/// <summary>What waits for the signed-in user.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/me").WithTags("Me").RequireAuthorization();

        group.MapGet("/tasks", async Task<Ok<IReadOnlyList<MyTaskDto>>> (HttpContext http, [FromServices] IActorAccessor actors, MyTasksQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), ct)))
            .WithName("MyTasks").WithSummary("Steps to submit, confirm or approve, including as a deputy, sorted by due, with working days left.");

        return app;
    }
}
