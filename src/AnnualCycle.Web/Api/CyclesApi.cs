using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Web.Api;

/// <param name="DryRun">Check only: answer 200 with every step whose deadline has passed and what would be done with it; save nothing.</param>
/// <param name="Late">Decisions for the passed steps: <c>{"all": {"decision": "skip", "reason": "…"}, "steps": {"kickoff": {"decision": "done"}}}</c>
/// (decision <c>open</c>, <c>done</c>, <c>skip</c> with a reason, or <c>move</c> with <c>due</c>).</param>
public sealed record StartCycleRequest(string? OrganisationId, string? WorkflowId, int? Year, bool? DryRun = null, LateStartDecisions? Late = null);

/// <summary>Cycles: start one, list them, one with progress, its steps and its journal (JSON or CSV).</summary>
public static class CyclesApi
{
    public static IEndpointRouteBuilder MapCyclesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/cycles").WithTags("Cycles").RequireAuthorization();

        group.MapPost("/", async Task<Results<Created<CycleSummaryDto>, Ok<StartCheckDto>>> (StartCycleRequest request, HttpContext http, [FromServices] IActorAccessor actors, StartCycleHandler handler, CancellationToken ct) =>
        {
            var actor = await actors.GetAsync(http.User, ct);
            var year = request.Year ?? throw new InputException("year", "is required");
            var command = new StartCycleCommand(request.OrganisationId, request.WorkflowId, year, request.Late);
            if (request.DryRun == true)
            {
                return TypedResults.Ok(await handler.CheckAsync(actor, command, ct));
            }

            var cycle = await handler.HandleAsync(actor, command, ct);
            return TypedResults.Created($"/api/v1/cycles/{cycle.Id}", cycle);
        }).WithName("StartCycle").WithSummary("Start a cycle of a workflow definition for an organisation and a budget year (process owner); "
            + "the answer lists the steps whose deadlines had passed. dryRun: only list them.");

        group.MapGet("/", async Task<Ok<IReadOnlyList<CycleSummaryDto>>> (string? organisationId, HttpContext http, [FromServices] IActorAccessor actors, ListCyclesQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), organisationId, ct)))
            .WithName("ListCycles").WithSummary("The cycles of the caller's organisations, with progress.");

        group.MapGet("/{id:guid}", async Task<Ok<CycleDetailDto>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, GetCycleQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("GetCycle").WithSummary("One cycle with progress in total and per phase (steps total, completed, overdue).");

        group.MapGet("/{id:guid}/steps", async Task<Ok<IReadOnlyList<StepDto>>> (Guid id, HttpContext http, [FromServices] IActorAccessor actors, ListStepsQuery query, CancellationToken ct) =>
            TypedResults.Ok(await query.HandleAsync(await actors.GetAsync(http.User, ct), id, ct)))
            .WithName("ListCycleSteps").WithSummary("The steps of a cycle in due order.");

        group.MapGet("/{id:guid}/journal", async Task<IResult> (Guid id, string? format, HttpContext http, [FromServices] IActorAccessor actors, CycleJournalQuery query, CancellationToken ct) =>
        {
            var entries = await query.HandleAsync(await actors.GetAsync(http.User, ct), id, ct);
            var wantsCsv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                || http.Request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
            return wantsCsv
                ? TypedResults.Text(CycleJournalQuery.ToCsv(entries), "text/csv; charset=utf-8")
                : TypedResults.Ok(entries);
        }).WithName("GetCycleJournal").WithSummary("The cycle's journal in sequence order; ?format=csv or Accept: text/csv for CSV.");

        return app;
    }
}
