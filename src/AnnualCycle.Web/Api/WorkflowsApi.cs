using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Definitions;

namespace AnnualCycle.Web.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c>: the loaded definitions. <c>GET /api/v1/workflows/{id}/preview?year=n</c>: the cycle the
/// definition gives for budget year n, as <c>AnnualCycle.Cli preview --json</c> prints it (the start-a-cycle page calls the same query).
/// Both only for the people of the definition's organisation (404 for anyone else).
/// </summary>
public static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        // The people of an organisation may read its definitions and preview a year; starting a cycle is the process owner's.
        var group = app.MapGroup("/api/v1/workflows").WithTags("Workflows").RequireAuthorization();
        group.MapGet("/", List).WithName("ListWorkflows").WithSummary("The loaded workflow definitions and the years each can be planned for.");
        group.MapGet("/{id}/preview", Preview).WithName("PreviewWorkflow").WithSummary("The resolved steps of one cycle, in date order, with statutory warnings.");
        return group;
    }

    public static async Task<Ok<IReadOnlyList<WorkflowListItem>>> List(HttpContext http, [FromServices] IActorAccessor actors, WorkflowCatalog catalog, CancellationToken ct)
    {
        // The organisation is a boundary: a definition is listed to the people of its organisation only.
        var organisations = (await actors.GetAsync(http.User, ct)).MemberOf();
        IReadOnlyList<WorkflowListItem> items = catalog.Workflows
            .Where(w => organisations.Contains(w.OrganisationId))
            .Select(w => new WorkflowListItem(w.Id, w.Name, w.Version, w.OrganisationId, catalog.PlannableYearsOf(w.Id)))
            .ToList();
        return TypedResults.Ok(items);
    }

    /// <summary>404 for an unknown definition or one of another organisation, 400 naming <c>year</c> for a missing or unplannable year (<see cref="PreviewCycleQuery"/>).</summary>
    public static async Task<Ok<CyclePlanView>> Preview(string id, string? year, HttpContext http, [FromServices] IActorAccessor actors, PreviewCycleQuery query, CancellationToken ct) =>
        TypedResults.Ok(query.Handle(await actors.GetAsync(http.User, ct), id, year));
}

public sealed record WorkflowListItem(string Id, string Name, int Version, string Organisation, IReadOnlyList<int> PlannableYears);
