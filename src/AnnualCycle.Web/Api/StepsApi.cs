using System.Globalization;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Web.Api;

/// <param name="DeliverableFileId">Optional: the id of a file uploaded to the step (POST …/deliverable).</param>
public sealed record SubmitStepRequest(string? DeliverableLink, string? Comment, Guid? DeliverableFileId = null);

public sealed record CommentRequest(string? Comment);

/// <summary>
/// Approve and confirm: a comment, and when the action records a body's decision at its meeting (the nämnd's signature,
/// a confirmed decision: <c>capabilities.approve.decisionOf</c> / <c>capabilities.confirm.decisionOf</c> of the step)
/// the meeting date (<c>yyyy-MM-dd</c>, not after today) and the paragraph (e.g. <c>"§ 123"</c>, at most 20 characters).
/// </summary>
public sealed record DecisionRequest(string? Comment, string? MeetingDate = null, string? Paragraph = null);

public sealed record ReasonRequest(string? Reason);

/// <summary>Dates as <c>yyyy-MM-dd</c> (Europe/Stockholm calendar dates).</summary>
public sealed record RescheduleRequest(string? Due, string? Opens);

/// <summary>One step: read it, and every command on it. The UI calls the same handlers.</summary>
public static class StepsApi
{
    public static IEndpointRouteBuilder MapStepsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/steps").WithTags("Steps").RequireAuthorization();

        group.MapGet("/{id:guid}", async Task<Ok<StepDetailDto>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, GetStepQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("GetStep").WithSummary("One step with its approvals (every round) and its journal.");

        group.MapPost("/{id:guid}/submit", async Task<Ok<StepDto>> (Guid id, SubmitStepRequest? request, HttpContext http, [FromServices] IActorAccessor actors, SubmitStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new SubmitStepCommand(id, request?.DeliverableLink, request?.Comment, request?.DeliverableFileId), ct)))
            .WithName("SubmitStep").WithSummary("Submit the deliverable (a contributor of the step's body or their deputy).");

        group.MapPost("/{id:guid}/approve", async Task<Ok<StepDto>> (Guid id, DecisionRequest? request, HttpContext http, [FromServices] IActorAccessor actors, ApproveStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct),
                new ApproveStepCommand(id, request?.Comment, ParseDate("meetingDate", request?.MeetingDate), request?.Paragraph), ct)))
            .WithName("ApproveStep").WithSummary("Sign off the current approval (its role's holder in its body; never the submitter); the nämnd's signature with meetingDate and paragraph.");

        group.MapPost("/{id:guid}/return", async Task<Ok<StepDto>> (Guid id, CommentRequest? request, HttpContext http, [FromServices] IActorAccessor actors, ReturnStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new ReturnStepCommand(id, request?.Comment), ct)))
            .WithName("ReturnStep").WithSummary("Return the step to its contributors with a mandatory comment.");

        group.MapPost("/{id:guid}/skip", async Task<Ok<StepDto>> (Guid id, ReasonRequest? request, HttpContext http, [FromServices] IActorAccessor actors, SkipStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new SkipStepCommand(id, request?.Reason), ct)))
            .WithName("SkipStep").WithSummary("Skip the step with a mandatory reason (process owner).");

        group.MapPost("/{id:guid}/cancel", async Task<Ok<StepDto>> (Guid id, ReasonRequest? request, HttpContext http, [FromServices] IActorAccessor actors, CancelStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new CancelStepCommand(id, request?.Reason), ct)))
            .WithName("CancelStep").WithSummary("Cancel the step with a mandatory reason (process owner).");

        group.MapPost("/{id:guid}/confirm", async Task<Ok<StepDto>> (Guid id, DecisionRequest? request, HttpContext http, [FromServices] IActorAccessor actors, ConfirmStepHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct),
                new ConfirmStepCommand(id, request?.Comment, ParseDate("meetingDate", request?.MeetingDate), request?.Paragraph), ct)))
            .WithName("ConfirmStep").WithSummary("Confirm a meeting, milestone or decision took place (the body's contributor or the process owner; a decision also its secretary, with meetingDate and paragraph).");

        group.MapPost("/{id:guid}/remind", async Task<Ok<StepDto>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, RemindNowHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new RemindNowCommand(id), ct)))
            .WithName("RemindStep").WithSummary("Remind the contributors of an open step now (process owner; once a day).");

        group.MapPatch("/{id:guid}", async Task<Ok<RescheduleResultDto>> (Guid id, RescheduleRequest request, HttpContext http, [FromServices] IActorAccessor actors, RescheduleStepHandler handler, CancellationToken ct) =>
        {
            var due = ParseDate("due", request.Due) ?? throw new InputException("due", "is required (yyyy-MM-dd)");
            var opens = ParseDate("opens", request.Opens);
            return TypedResults.Ok(await handler.HandleAsync(await actors.GetAsync(http.User, ct), new RescheduleStepCommand(id, due, opens), ct));
        }).WithName("RescheduleStep").WithSummary("Move the due date (and optionally the open date); returns every date that moved, dependants included (process owner).");

        group.MapPost("/{id:guid}/reschedule-preview", async Task<Ok<RescheduleResultDto>> (Guid id, RescheduleRequest request, HttpContext http, [FromServices] IActorAccessor actors, RescheduleStepHandler handler, CancellationToken ct) =>
        {
            var due = ParseDate("due", request.Due) ?? throw new InputException("due", "is required (yyyy-MM-dd)");
            var opens = ParseDate("opens", request.Opens);
            return TypedResults.Ok(await handler.PreviewAsync(await actors.GetAsync(http.User, ct), new RescheduleStepCommand(id, due, opens), ct));
        }).WithName("PreviewRescheduleStep").WithSummary("Dry run of the reschedule: every date that would move, nothing saved (process owner).");

        return app;
    }

    private static DateOnly? ParseDate(string field, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw new InputException(field, "must be a date, yyyy-MM-dd");
}
