using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Runtime.Definitions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnualCycle.Web.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c>: the loaded definitions. <c>GET /api/v1/workflows/{id}/preview?year=n</c>: the cycle the
/// definition gives for budget year n, as <c>AnnualCycle.Cli preview --json</c> prints it (the start-a-cycle page calls the same query).
/// </summary>
public static class WorkflowsApi
{
    public static RouteGroupBuilder MapWorkflowsApi(this IEndpointRouteBuilder app)
    {
        // Any signed-in person may read the definitions and preview a year; starting a cycle is the process owner's.
        var group = app.MapGroup("/api/v1/workflows").WithTags("Workflows").RequireAuthorization();
        group.MapGet("/", List).WithName("ListWorkflows").WithSummary("The loaded workflow definitions and the years each can be planned for.");
        group.MapGet("/{id}/preview", Preview).WithName("PreviewWorkflow").WithSummary("The resolved steps of one cycle, in date order, with statutory warnings.");
        return group;
    }

    public static Ok<IReadOnlyList<WorkflowListItem>> List(WorkflowCatalog catalog)
    {
        IReadOnlyList<WorkflowListItem> items = catalog.Workflows
            .Select(w => new WorkflowListItem(w.Id, w.Name, w.Version, w.OrganisationId, catalog.PlannableYears(catalog.FindDefinition(w.Id)!)))
            .ToList();
        return TypedResults.Ok(items);
    }

    /// <summary>404 for an unknown definition, 400 naming <c>year</c> for a missing or unplannable year (<see cref="PreviewCycleQuery"/>).</summary>
    public static Ok<CyclePlanView> Preview(string id, string? year, PreviewCycleQuery query) => TypedResults.Ok(query.Handle(id, year));
}

public sealed record WorkflowListItem(string Id, string Name, int Version, string Organisation, IReadOnlyList<int> PlannableYears);

