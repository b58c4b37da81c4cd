using AnnualCycle.Domain.Definitions;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Runtime.Meetings;
using Microsoft.Extensions.Hosting;

namespace AnnualCycle.Runtime.Definitions;

public static class DefinitionsServiceCollectionExtensions
{
    /// <summary>Configuration key overriding the workflows folder (default: <c>workflows/</c> under the repository root).</summary>
    public const string FolderKey = "Workflows:Folder";

    /// <summary>The workflows folder: <c>Workflows:Folder</c> if set (relative to the root), else <c>{root}/workflows</c>.</summary>
    public static string WorkflowsFolder(IConfiguration configuration)
    {
        var root = RepositoryConfiguration.Root(configuration);
        return configuration[FolderKey] is { Length: > 0 } folder ? Path.Combine(root, folder) : Path.Combine(root, "workflows");
    }

    /// <summary>
    /// The workflow catalog (loaded once, in the configured zone, when first used), the planner and a start-up log of
    /// every problem (part of <see cref="AnnualCycleCore"/>; the catalog and the planner are a seam, <see cref="CoreSeams.UseDefinitions"/>).
    /// </summary>
    internal static IServiceCollection AddAnnualCycleDefinitions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => WorkflowCatalog.Load(WorkflowsFolder(configuration), sp.GetRequiredService<StockholmTime>()));
        services.AddSingleton<IWorkflowCatalog>(sp => sp.GetRequiredService<WorkflowCatalog>());
        // Scoped: plans against the meeting calendar as imported into the database (see MeetingCalendar).
        services.AddScoped<ICyclePlanner, MeetingAwareCyclePlanner>();
        services.AddHostedService<DefinitionsStartupLog>();
        return services;
    }
}

/// <summary>Loads the catalog when the service starts and logs each problem as <c>path:line:column: message</c>.</summary>
internal sealed class DefinitionsStartupLog(WorkflowCatalog catalog, ILogger<DefinitionsStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var problem in catalog.Problems)
        {
            logger.LogError("Workflow definition problem: {Problem}", problem);
        }

        logger.LogInformation("Loaded {Workflows} workflow definition(s) and {Organisations} organisation(s); {Problems} problem(s)",
            catalog.Workflows.Count, catalog.Organisations.Count, catalog.Problems.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
