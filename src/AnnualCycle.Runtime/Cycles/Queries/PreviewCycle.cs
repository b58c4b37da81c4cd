using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Definitions;

namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>
/// The cycle a definition gives for a budget year, as <c>AnnualCycle.Cli preview --json</c> prints it, with its
/// statutory warnings; nothing is saved. <c>GET /api/v1/workflows/{id}/preview?year=n</c> and the start-a-cycle page
/// (<c>/cykler/ny</c>) both call it.
/// </summary>
public sealed class PreviewCycleQuery(WorkflowCatalog catalog, ICyclePlanner planner, AnnualCycle.Domain.Calendar.StockholmTime zone)
{
    /// <param name="year">The budget year as given (text, from a query string or a form).</param>
    /// <exception cref="NotFoundException">No loaded definition has the id, or it is of an organisation the actor does not belong to.</exception>
    /// <exception cref="InputException">Field <c>year</c>: missing, not a year, or not plannable (the plannable years are named).</exception>
    public CyclePlanView Handle(Actor actor, string workflowId, string? year)
    {
        var definition = catalog.FindDefinition(workflowId);
        if (definition is null || !actor.MemberOf().Contains(definition.OrganisationId))
        {
            throw new NotFoundException($"No loaded workflow definition has the id '{workflowId}'.");
        }

        var years = catalog.PlannableYearsOf(definition.Id);
        var range = years.Count == 0 ? "none" : $"{years[0]}–{years[^1]}";
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var budgetYear))
        {
            throw new InputException("year", year is null ? $"is required: a budget year ({range})" : $"'{year}' is not a year; plannable years: {range}");
        }

        if (budgetYear is < BudgetYears.Min or > BudgetYears.Max)
        {
            throw new InputException("year", $"{budgetYear} is not a budget year the service plans ({BudgetYears.Min}–{BudgetYears.Max}); plannable years: {range}");
        }

        try
        {
            return CyclePlanView.From(planner.Plan(definition.Id, budgetYear), zone);
        }
        catch (PlanningException ex)
        {
            throw new InputException("year", $"{definition.Id} cannot be planned for {budgetYear}: {ex.Message}. Plannable years: {range}");
        }
    }
}
