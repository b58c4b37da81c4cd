using System.Globalization;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Definitions;
using AnnualCycle.Runtime.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AnnualCycle.Web.Api;

/// <summary>
/// <c>GET /api/v1/workflows</c>: the loaded definitions. <c>GET /api/v1/workflows/{id}/preview?year=n</c>: the cycle the
/// definition gives for budget year n, as <c>AnnualCycle.Cli preview --json</c> prints it.
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

    public static async Task<Results<Ok<CyclePlanView>, ProblemHttpResult, ValidationProblem>> Preview(
        string id, string? year, HttpContext http, [FromServices] IActorAccessor actors, WorkflowCatalog catalog, ICyclePlanner planner, CancellationToken ct)
    {
        var definition = catalog.FindDefinition(id);
        if (definition is null || !(await actors.GetAsync(http.User, ct)).MemberOf().Contains(definition.OrganisationId))
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

