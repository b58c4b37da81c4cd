using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Definitions;
using AnnualCycle.Tests.Domain.Definitions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AnnualCycle.Tests.Runtime.Definitions;

public class DefinitionsHealthCheckTests
{
    [Fact]
    public async Task Check_IsHealthy_WhenEveryFileLoaded()
    {
        var result = await new DefinitionsHealthCheck(WorkflowCatalog.Load(WorkflowsCopy.ShippedFolder, StockholmTime.Default)).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal("2 workflow(s), 2 organisation(s) loaded", result.Description);
    }

    [Fact]
    public async Task Check_IsDegradedWithEveryProblemLine_WhenAFileDidNotLoad()
    {
        using var copy = new WorkflowsCopy();
        copy.Replace("region-norrbotten.json", "\"version\": 2,", "\"version\": 2.5,");
        var catalog = WorkflowCatalog.Load(copy.Folder, StockholmTime.Default);

        var result = await new DefinitionsHealthCheck(catalog).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
        var line = Assert.Single((string[])result.Data["problems"]);
        Assert.EndsWith("'version' in the workflow definition must be an integer, not 2.5", line);
        Assert.Contains(line, result.Description);
        Assert.StartsWith("1 workflow(s), 2 organisation(s) loaded; 1 problem(s): ", result.Description);
    }
}
