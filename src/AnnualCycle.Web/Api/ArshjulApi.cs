using System.Security.Cryptography;
using System.Text;
using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Runtime.Arshjul;
using Microsoft.Net.Http.Headers;

namespace AnnualCycle.Web.Api;

/// <summary>
/// The årshjul drawn from live data, as SVG, PNG or PDF: <c>/cycles/{id}/arshjul.{svg|png|pdf}</c> (one cycle; default
/// calendar year the planning year, budget year − 1; <c>?year=</c>) and <c>/arshjul/{organisationId}/{year}.{svg|png|pdf}</c>
/// (every cycle active in the calendar year). Query: <c>lang=sv|en</c>, <c>layout=landscape|portrait</c> (portrait for
/// phones), <c>width=</c> pixels for PNG (100–4000, default 1400). Signed-in users of the organisation only; never cached
/// without revalidation (states change), with an ETag so an unchanged wheel answers 304.
/// </summary>
public static class ArshjulApi
{
    private static readonly string[] Formats = ["svg", "png", "pdf"];

    public static IEndpointRouteBuilder MapArshjulApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Årshjul").RequireAuthorization();
        foreach (var format in Formats)
        {
            group.MapGet($"/cycles/{{id:guid}}/arshjul.{format}", async (Guid id, int? year, string? lang, string? layout, int? width, HttpContext http, [FromServices] IActorAccessor actors, ArshjulQuery query, CancellationToken ct) =>
            {
                var options = Options.Parse(lang, layout, width);
                var model = await query.ForCycleAsync(await actors.GetAsync(http.User, ct), id, year, options.Language, ct);
                return Render(http, model, format, options);
            }).WithName($"GetCycleArshjul{format.ToUpperInvariant()}").WithSummary($"The årshjul of one cycle as {format.ToUpperInvariant()}.");

            group.MapGet($"/arshjul/{{organisationId}}/{{year:int}}.{format}", async (string organisationId, int year, string? lang, string? layout, int? width, HttpContext http, [FromServices] IActorAccessor actors, ArshjulQuery query, CancellationToken ct) =>
            {
                var options = Options.Parse(lang, layout, width);
                var model = await query.ForYearAsync(await actors.GetAsync(http.User, ct), organisationId, year, options.Language, ct);
                return Render(http, model, format, options);
            }).WithName($"GetYearArshjul{format.ToUpperInvariant()}").WithSummary($"The årshjul of a calendar year of an organisation (every active cycle) as {format.ToUpperInvariant()}.");
        }

        return app;
    }

    private static IResult Render(HttpContext http, ArshjulModel model, string format, Options options)
    {
        var (bytes, contentType) = format switch
        {
            "svg" => (Encoding.UTF8.GetBytes(ArshjulSvgRenderer.Render(model, options.Layout)), "image/svg+xml; charset=utf-8"),
            "png" => (ArshjulExporter.ToPng(model, options.Width, options.Layout), "image/png"),
            _ => (ArshjulExporter.ToPdf(model, options.Layout), "application/pdf"),
        };

        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";
        var headers = http.Response.Headers;
        // Private and revalidated every time: the wheel shows live states and is only for the organisation's users.
        headers.CacheControl = "private, no-cache";
        headers.ETag = etag;
        headers.XContentTypeOptions = "nosniff";
        if (format == "svg")
        {
            // Opened on its own, the SVG may follow its links but never run anything.
            headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        }

        if (http.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(bytes, contentType);
    }

    private sealed record Options(string Language, ArshjulPageLayout Layout, int Width)
    {
        public static Options Parse(string? lang, string? layout, int? width)
        {
            var language = lang switch
            {
                null or "" or "sv" => "sv",
                "en" => "en",
                _ => throw new InputException("lang", "must be sv or en"),
            };
            var page = layout?.ToLowerInvariant() switch
            {
                null or "" or "landscape" => ArshjulPageLayout.Landscape,
                "portrait" => ArshjulPageLayout.Portrait,
                _ => throw new InputException("layout", "must be landscape or portrait"),
            };
            if (width is < 100 or > 4000)
            {
                throw new InputException("width", "must be between 100 and 4000 pixels");
            }

            return new Options(language, page, width ?? 1400);
        }
    }
}
