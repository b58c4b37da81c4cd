using System.Text;
using AnnualCycle.Runtime.Meetings;

namespace AnnualCycle.Web.Api;

/// <summary>The sammanträdesplan of an organisation per calendar year: the effective calendar, and its import.</summary>
public static class MeetingsApi
{
    /// <summary>An import file larger than this is refused: a year's calendar is a few kilobytes.</summary>
    public const int MaxImportBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapMeetingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/organisations/{organisationId}/meetings").WithTags("Meetings").RequireAuthorization();

        group.MapGet("/{year:int}", async Task<Ok<MeetingCalendarDto>> (string organisationId, int year, HttpContext http, [FromServices] IActorAccessor actors, MeetingCalendarQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), organisationId, year, ct)))
            .WithName("GetMeetingCalendar").WithSummary("The effective meeting calendar of a year: imported meetings where imported, else those of the organisation file.");

        group.MapPost("/{year:int}", async Task<Ok<MeetingImportResultDto>> (string organisationId, int year, bool? dryRun, string? confirm, HttpContext http, [FromServices] IActorAccessor actors, ImportMeetingsHandler handler, CancellationToken ct) =>
        {
            var actor = await actors.GetAsync(http.User, ct);
            var (text, contentType) = await ReadAsync(http.Request, ct);
            return TypedResults.Ok(await handler.HandleAsync(actor, new ImportMeetingsCommand(organisationId, year, contentType, text, dryRun == true, confirm), ct));
        }).WithName("ImportMeetings")
          .WithSummary("Import a year's meeting calendar (process owner): CSV organ;datum[;rubrik] or body,date[,title] (',' or ';') or text/calendar (CATEGORIES = body id or name); raw body or a multipart field 'file'. "
              + "?dryRun=true stores nothing and lists, per running cycle, every step whose date would move or could no longer be resolved, with a fingerprint; "
              + "saving an import that moves dates needs ?confirm=<that fingerprint> (400 without, 409 when the impact changed); one that leaves a step without a date is refused (409).");

        group.MapPost("/{year:int}/undo", async Task<Ok<MeetingImportResultDto>> (string organisationId, int year, bool? dryRun, string? confirm, HttpContext http, [FromServices] IActorAccessor actors, ImportMeetingsHandler handler, CancellationToken ct) =>
            TypedResults.Ok(await handler.UndoAsync(await actors.GetAsync(http.User, ct), new UndoMeetingImportCommand(organisationId, year, dryRun == true, confirm), ct)))
            .WithName("UndoMeetingImport")
            .WithSummary("Undo the current import of a year (process owner): re-imports the version before it (or the organisation file's meetings) with the same dry run, confirmation and refusal as an import.");

        group.MapGet("/{year:int}/versions", async Task<Ok<IReadOnlyList<MeetingImportVersionDto>>> (string organisationId, int year, HttpContext http, [FromServices] IActorAccessor actors, MeetingImportVersionsQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), organisationId, year, ct)))
            .WithName("ListMeetingImportVersions").WithSummary("The saved versions of a year's meeting calendar, newest (current) first, with who saved each and when (process owner).");

        return app;
    }

    /// <summary>The file as text: the raw body, or the first file of a multipart form.</summary>
    private static async Task<(string Text, string? ContentType)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault() ?? throw new InputException("file", "is required (a CSV or iCalendar file)");
            if (file.Length > MaxImportBytes)
            {
                throw new InputException("file", $"must be at most {MaxImportBytes} bytes");
            }

            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            return (await reader.ReadToEndAsync(ct), file.ContentType);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxImportBytes)
            {
                throw new InputException("file", $"must be at most {MaxImportBytes} bytes");
            }
        }

        if (buffer.Length == 0)
        {
            throw new InputException("file", "is required (a CSV or iCalendar file as the request body)");
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), request.ContentType);
    }
}
