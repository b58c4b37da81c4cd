using AnnualCycle.Runtime.Deliverables;
using Microsoft.AspNetCore.Http.Features;

namespace AnnualCycle.Web.Api;

/// <summary>A step's deliverable files: upload (multipart field <c>file</c>), list and download.</summary>
public static class DeliverablesApi
{
    /// <summary>Room for the multipart envelope around the file itself.</summary>
    private const long EnvelopeBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapDeliverablesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/steps").WithTags("Steps").RequireAuthorization();

        group.MapPost("/{id:guid}/deliverable", async Task<Created<DeliverableFileDto>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, UploadOptions options, UploadDeliverableHandler handler, CancellationToken ct) =>
        {
            var actor = await actors.GetAsync(http.User, ct);
            if (http.Request.ContentLength > options.MaxBytes + EnvelopeBytes)
            {
                throw new InputException("file", $"must be at most {options.MaxBytes} bytes");
            }

            // The configured limit, not Kestrel's 30 MB default, decides how large an upload may be.
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxBytes + EnvelopeBytes;
            }

            if (!http.Request.HasFormContentType)
            {
                throw new InputException("file", "is required as a multipart/form-data field named file");
            }

            IFormCollection form;
            try
            {
                form = await http.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxBytes + EnvelopeBytes }, ct);
            }
            catch (InvalidDataException)
            {
                // A body without Content-Length that outgrows the limit while being read.
                throw new InputException("file", $"must be at most {options.MaxBytes} bytes");
            }

            var file = form.Files.GetFile("file") ?? throw new InputException("file", "is required as a multipart/form-data field named file");
            await using var content = file.OpenReadStream();
            var uploaded = await handler.HandleAsync(actor, new UploadDeliverableCommand(id, file.FileName, file.ContentType, content, file.Length), ct);
            return TypedResults.Created(uploaded.DownloadUrl, uploaded);
        }).WithName("UploadDeliverable")
          .WithSummary("Upload a deliverable file (multipart field 'file'; pdf, docx, xlsx, pptx, odt, ods, txt, csv, png, jpg; at most Uploads:MaxBytes) while the step is Opened or Returned (its contributors or their deputies).");

        group.MapGet("/{id:guid}/deliverables", async Task<Ok<IReadOnlyList<DeliverableFileDto>>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, DeliverableFilesQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.ListAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("ListDeliverables").WithSummary("The files uploaded to a step, oldest first.");

        group.MapGet("/{id:guid}/deliverable/{fileId:guid}", async (Guid id, Guid fileId, HttpContext http, [FromServices] IActorAccessor actors, DeliverableFilesQuery query, CancellationToken ct) =>
        {
            var (file, content) = await query.OpenAsync(await actors.GetAsync(http.User, ct), id, fileId, ct);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, no-store";
            // A download name makes the response Content-Disposition: attachment, so nothing uploaded renders in the site's origin.
            return TypedResults.File(content, file.ContentType, file.FileName);
        }).WithName("DownloadDeliverable").WithSummary("Download an uploaded file (as an attachment) for anyone who may see the step.");

        return app;
    }
}
