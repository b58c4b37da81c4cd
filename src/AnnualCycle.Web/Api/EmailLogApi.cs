using AnnualCycle.Runtime.Email;

namespace AnnualCycle.Web.Api;

/// <summary><c>/api/v1/emails</c>: the email log of one's organisations, read-only, for process owners and administrators (the runtime decides: 403 or 404).</summary>
public static class EmailLogApi
{
    public static IEndpointRouteBuilder MapEmailLogApi(this IEndpointRouteBuilder app)
    {
        var emails = app.MapGroup("/api/v1/emails").WithTags("Email log").RequireAuthorization();

        emails.MapGet("", async ([FromQuery] Guid? cycleId, [FromQuery] int? page, HttpContext http, [FromServices] IActorAccessor actors, EmailLog log, CancellationToken ct) =>
                TypedResults.Ok(await log.ListAsync(await actors.GetAsync(http.User, ct), cycleId, page, ct)))
            .WithName("ListOrganisationEmails").WithSummary("The emails about the cycles of the organisations one is process owner or administrator of, newest first, 50 a page.");
        emails.MapGet("/{id:guid}", async (Guid id, HttpContext http, [FromServices] IActorAccessor actors, EmailLog log, CancellationToken ct) =>
                TypedResults.Ok(await log.ReadAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("ReadEmail").WithSummary("One email's subject and text, as it was sent (or will be).");
        return app;
    }
}
