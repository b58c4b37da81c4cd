using AnnualCycle.Runtime.Email;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AnnualCycle.Web.Api;

/// <summary><c>/api/v1/admin/emails</c>: the outbox, its counts, "send now" and a test email, for administrators only.</summary>
public static class AdminEmailsApi
{
    public static IEndpointRouteBuilder MapAdminEmailsApi(this IEndpointRouteBuilder app)
    {
        var emails = app.MapGroup("/api/v1/admin/emails").WithTags("Administration").RequireAuthorization(Policies.Administrator);

        emails.MapGet("", async ([FromQuery] string? state, [FromQuery] string? recipient, [FromQuery] Guid? cycleId, [FromQuery] int? page, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.ListAsync(state, recipient, cycleId, page, ct)))
            .WithName("ListEmails").WithSummary("Outbox rows, newest first, 50 a page; filter by state, recipient (user id or email) and cycle.");
        emails.MapGet("/stats", async (EmailAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.StatsAsync(ct)))
            .WithName("EmailStats").WithSummary("Number of outbox rows per state.");
        emails.MapPost("/{id:guid}/send-now", async (Guid id, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Accepted("/api/v1/admin/emails", await admin.SendNowAsync(id, ct)))
            .WithName("SendEmailNow").WithSummary("Make a Retrying or DeadLetter email due now and wake the sender (409 for any other state).");
        emails.MapPost("/test", async (TestEmailCommand command, EmailAdministration admin, CancellationToken ct) =>
                TypedResults.Ok(await admin.SendTestAsync(command, ct)))
            .WithName("SendTestEmail").WithSummary("Send a test email now with the configured SMTP settings and return the server's answer.");
        return app;
    }
}
