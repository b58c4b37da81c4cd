using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>Plans a loaded definition for a budget year (see <see cref="PlanBuilder"/>).</summary>
public sealed class CyclePlanner(WorkflowCatalog catalog, StockholmTime time) : ICyclePlanner
{
    /// <exception cref="KeyNotFoundException">No loaded definition has this id (or this version).</exception>
    /// <exception cref="PlanningException">No version applies to the year, or a date cannot be resolved for it (e.g. no sammanträdesplan).</exception>
    public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null)
    {
        var definition = catalog.Resolve(workflowId, year, version);
        var organisation = catalog.FindOrganisation(definition.OrganisationId)
            ?? throw new KeyNotFoundException($"Organisation '{definition.OrganisationId}' of workflow '{workflowId}' is not loaded.");
        return PlanBuilder.Build(definition, organisation, year, time, overrides);
    }
}
