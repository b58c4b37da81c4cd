using AnnualCycle.Domain.Definitions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnnualCycle.Runtime.Definitions;

/// <summary>
/// Healthy when every workflow and organisation file loaded; Degraded (the service still serves the valid ones)
/// with the problems, one <c>path:line:column: message</c> each, in the description and data.
/// </summary>
public sealed class DefinitionsHealthCheck(WorkflowCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loaded = $"{catalog.Workflows.Count} workflow(s), {catalog.Organisations.Count} organisation(s) loaded";
        if (catalog.Problems.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy(loaded));
        }

        var data = new Dictionary<string, object> { ["problems"] = catalog.Problems.ToArray() };
        var description = $"{loaded}; {catalog.Problems.Count} problem(s): {string.Join(" | ", catalog.Problems)}";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
