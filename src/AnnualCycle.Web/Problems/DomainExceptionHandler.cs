using System.Text.Json;
using System.Text.RegularExpressions;
using AnnualCycle.Domain.Definitions;
using Microsoft.AspNetCore.Diagnostics;

namespace AnnualCycle.Web.Problems;

/// <summary>
/// Turns every exception that reaches the host into a problem response: each <see cref="DomainException"/>
/// to its status, malformed requests to a 400 naming the field, a plan that cannot be resolved (the meeting calendar
/// no longer covers a date the cycle needs) to a 409 naming the cause, a database that cannot answer right now to a
/// 503 with <c>Retry-After</c> (<see cref="DatabaseFailures"/>; a lost race is a 409), and anything else to a bare 500.
/// Never a stack trace: the exception is logged, the client gets its message only for domain and planning errors.
/// </summary>
public sealed partial class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = ToProblem(httpContext, exception);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("Database unavailable for {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        }
        else if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else
        {
            logger.LogDebug("{Type} for {Method} {Path}: {Message}", exception.GetType().Name, httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails ToProblem(HttpContext httpContext, Exception exception) => exception switch
    {
        IllegalTransitionException e => Problem(StatusCodes.Status409Conflict, "Illegal state change", e.Message),
        ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message),

        // The actor accessor says "forbidden" to an anonymous caller too; that caller should sign in (401).
        ForbiddenActionException e when httpContext.User.Identity?.IsAuthenticated != true =>
            Problem(StatusCodes.Status401Unauthorized, "Sign-in required", e.Message),
        ForbiddenActionException e => Problem(StatusCodes.Status403Forbidden, "Forbidden", e.Message),
        NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not found", e.Message),
        InputException e => Validation(e.Field, e.Problem),
        BadHttpRequestException e => BadRequest(e),

        // Dates the definition anchors to meetings the calendar no longer has: the request is fine, the data around it
        // is not (e.g. after a meeting-calendar import); the process owner fixes the calendar or the date.
        PlanningException e => Problem(StatusCodes.Status409Conflict, "The plan cannot be resolved", e.Message),
        _ when DatabaseFailures.Unavailable(exception) =>
            Problem(StatusCodes.Status503ServiceUnavailable, "Database unavailable", $"The database cannot be reached right now; try again in {DatabaseFailures.RetryAfterSeconds} seconds."),
        _ when DatabaseFailures.BadValue(exception) is { } problem =>
            Problem(StatusCodes.Status400BadRequest, "A value cannot be stored", problem),
        _ when DatabaseFailures.LostRace(exception) =>
            Problem(StatusCodes.Status409Conflict, "Conflict", "Another change was saved first; reload and try again."),
        _ => Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred", null),
    };

    private static ProblemDetails Problem(int status, string title, string? detail) =>
        new() { Status = status, Title = title, Detail = detail };

    private static HttpValidationProblemDetails Validation(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more inputs are invalid",
        Detail = $"{field}: {message}",
    };

    /// <summary>A body that is not JSON, a value of the wrong type, a missing parameter: name the field when it can be told.</summary>
    private static ProblemDetails BadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode != StatusCodes.Status400BadRequest)
        {
            return Problem(exception.StatusCode, "Bad request", exception.Message);
        }

        var json = exception.InnerException as JsonException;
        var field = FieldFromJsonPath(json?.Path) ?? FieldFromMessage(exception.Message) ?? "body";
        var message = json is null ? exception.Message : $"has an invalid value ({FirstSentence(json.Message)})";
        return Validation(field, message);
    }

    private static string? FieldFromJsonPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? null : field;
    }

    private static string? FieldFromMessage(string message)
    {
        var match = ParameterName().Match(message);
        return match.Success ? match.Groups["name"].Value : null;
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text.TrimEnd('.') : text[..end];
    }

    // 'Required parameter "string email" was not provided …', 'Failed to bind parameter "DateOnly from" from "x".'
    [GeneratedRegex("parameter \"[^\" ]+ (?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex ParameterName();
}
