using AnnualCycle.Runtime.Email;
using AnnualCycle.Web.Auth;

namespace AnnualCycle.Web.Api;

/// <summary><c>/api/v1/admin/emails</c>: the outbox, its counts, "send now" and a test email, for administrators, each within the organisations they administer.</summary>
public static class AdminEmailsApi
{
    public static IEndpointRouteBuilder MapAdminEmailsApi(this IEndpointRouteBuilder app)
    {
        var emails = app.MapGroup("/api/v1/admin/emails").WithTags("Administration").RequireAuthorization(Policies.Administrator);

        emails.MapGet("", async ([FromQuery] string? state, [FromQuery] string? recipient, [FromQuery] Guid? cycleId, [FromQuery] int? page, HttpContext http, [FromServices] IActorAccessor actors, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.ListAsync(await actors.GetAsync(http.User, ct), state, recipient, cycleId, page, ct)))
            .WithName("ListEmails").WithSummary("Outbox rows, newest first, 50 a page; filter by state, recipient (user id or email) and cycle.");
        emails.MapGet("/stats", async (HttpContext http, [FromServices] IActorAccessor actors, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.StatsAsync(await actors.GetAsync(http.User, ct), ct)))
            .WithName("EmailStats").WithSummary("Number of outbox rows per state.");
        emails.MapPost("/{id:guid}/send-now", async (Guid id, HttpContext http, [FromServices] IActorAccessor actors, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Accepted("/api/v1/admin/emails", await admin.SendNowAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("SendEmailNow").WithSummary("Make a Retrying or DeadLetter email due now and wake the sender (409 for any other state).");
        emails.MapPost("/test", async (TestEmailCommand command, HttpContext http, [FromServices] IActorAccessor actors, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.SendTestAsync(await actors.GetAsync(http.User, ct), command, ct)))
            .WithName("SendTestEmail").WithSummary("Send a test email now with the configured SMTP settings and return the server's answer.");
        return app;
    }
}
