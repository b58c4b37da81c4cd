using System.Globalization;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Definitions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnualCycle.Web.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c>: the loaded definitions. <c>GET /api/v1/workflows/{id}/preview?year=n</c>: the cycle the
/// definition gives for budget year n, as <c>AnnualCycle.Cli preview --json</c> prints it. Authorization is wired later.
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
            .Select(w => new WorkflowListItem(w.Id, w.Name, w.Version, w.OrganisationId, catalog.PlannableYearsOf(w.Id)))
            .ToList();
        return TypedResults.Ok(items);
    }

    public static Results<Ok<CyclePlanView>, ProblemHttpResult, ValidationProblem> Preview(
        string id, string? year, WorkflowCatalog catalog, ICyclePlanner planner)
    {
        var definition = catalog.FindDefinition(id);
        if (definition is null)
        {
            return TypedResults.Problem(
                detail: $"No loaded workflow definition has the id '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown workflow");
        }

        var years = catalog.PlannableYearsOf(definition.Id);
        var range = years.Count == 0 ? "none" : $"{years[0]}–{years[^1]}";
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var budgetYear))
        {
            return YearProblem(year is null ? $"The query parameter 'year' is required: a budget year ({range})." : $"'{year}' is not a year; plannable years: {range}.");
        }

        try
        {
            return TypedResults.Ok(CyclePlanView.From(planner.Plan(definition.Id, budgetYear)));
        }
        catch (PlanningException ex)
        {
            return YearProblem($"{definition.Id} cannot be planned for {budgetYear}: {ex.Message}. Plannable years: {range}.");
        }
    }

    private static ValidationProblem YearProblem(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["year"] = [message] }, title: "The year is not valid.");
}

public sealed record WorkflowListItem(string Id, string Name, int Version, string Organisation, IReadOnlyList<int> PlannableYears);

