using AnnualCycle.Runtime.Reports;

namespace AnnualCycle.Web.Api;

/// <summary>
/// Exports for the systems beside the service (Stratsys, the budget system, Excel) and the process's own lead times; for the
/// process owners of the organisation (404 outside it, 403 inside).
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Reports").RequireAuthorization();

        group.MapGet("/cycles/{id:guid}/export/{report}", async Task<IResult> (Guid id, string report, string? format, HttpContext http, [FromServices] IActorAccessor actors, CycleExportQuery query, CancellationToken ct) =>
        {
            var what = CycleExportQuery.ParseReport(report);
            var as_ = ExportTable.ParseFormat(format);
            var table = await query.HandleAsync(await actors.GetAsync(http.User, ct), id, what, ct);
            return TypedResults.File(table.Write(as_), ExportTable.ContentType(as_), table.FileName(as_));
        }).WithName("ExportCycle")
            .WithSummary("A cycle's calendar, status per body or journal (report = calendar | status | journal) as CSV (UTF-8 with BOM, semicolons, Swedish headers) or ?format=xlsx.");

        group.MapGet("/organisations/{organisationId}/lead-times", async Task<IResult> (string organisationId, string? format, HttpContext http, [FromServices] IActorAccessor actors, LeadTimeQuery query, CancellationToken ct) =>
        {
            var report = await query.HandleAsync(await actors.GetAsync(http.User, ct), organisationId, ct);
            if (string.IsNullOrWhiteSpace(format) || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            {
                return TypedResults.Ok(report);
            }

            var as_ = ExportTable.ParseFormat(format);
            var table = report.ToTable();
            return TypedResults.File(table.Write(as_), ExportTable.ContentType(as_), table.FileName(as_));
        }).WithName("LeadTimes")
            .WithSummary("Per step and body, the lead time from opening to completion and the days late, per budget year (JSON, ?format=csv or xlsx).");

        return app;
    }
}
