using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Cli;

/// <summary>
/// The services every verb runs on: a .NET host's basics (configuration, environment, logging from Warning up) and the
/// engine's one composition root, <see cref="AnnualCycleCore.AddAnnualCycleCore"/>; a verb replaces only seams
/// (<see cref="CoreSeams"/>). The host is never started, so no hosted service (timer reconciliation, the Hangfire
/// server, recurring jobs) runs in a tool, and nothing reaches the job storage unless a seam left on Hangfire is used.
/// </summary>
public static class CliHost
{
    /// <summary>Builds the provider, validating every registration (a missing dependency fails here, not halfway).</summary>
    /// <param name="configuration">What the verb reads (settings file, environment, switches, and the verb's own overrides).</param>
    /// <param name="seams">Replaces seams after the core, e.g. <c>s => s.UseOutboxWakeup(new NoOutboxWakeup())</c>.</param>
    /// <param name="environment">The host environment; by default <c>DOTNET_ENVIRONMENT</c>, <c>ASPNETCORE_ENVIRONMENT</c>,
    /// else Production (as the service's).</param>
    public static ServiceProvider Build(IConfiguration configuration, Action<IServiceCollection>? seams = null, string? environment = null) =>
        Services(configuration, seams, environment).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    /// <summary>The registrations <see cref="Build"/> builds (the composition tests compare them across hosts).</summary>
    public static IServiceCollection Services(IConfiguration configuration, Action<IServiceCollection>? seams = null, string? environment = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "AnnualCycle.Cli",
            EnvironmentName = environment ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Production,
            ContentRootPath = RepositoryConfiguration.Root(configuration),
        });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAnnualCycleCore(builder.Configuration);
        seams?.Invoke(builder.Services);
        return builder.Services;
    }
}
