using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>Plans a loaded definition for a budget year (see <see cref="PlanBuilder"/>).</summary>
public sealed class CyclePlanner(WorkflowCatalog catalog, StockholmTime time) : ICyclePlanner
{
    /// <exception cref="KeyNotFoundException">No loaded definition has this id.</exception>
    /// <exception cref="PlanningException">A date cannot be resolved for this year (e.g. no sammanträdesplan for it).</exception>
    public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null)
    {
        var definition = catalog.FindDefinition(workflowId) ?? throw new KeyNotFoundException($"No workflow definition '{workflowId}' is loaded.");
        var organisation = catalog.FindOrganisation(definition.OrganisationId)
            ?? throw new KeyNotFoundException($"Organisation '{definition.OrganisationId}' of workflow '{workflowId}' is not loaded.");
        return PlanBuilder.Build(definition, organisation, year, time, overrides);
    }
}
