using AnnualCycle.Runtime.Definitions;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Runtime.Hosting;
using AnnualCycle.Web.Auth;
using AnnualCycle.Web.LiveUpdates;
using AnnualCycle.Web.People;
using AnnualCycle.Web.Problems;
using AnnualCycle.Web.Ui;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;

namespace AnnualCycle.Web;

public static class WebServiceCollectionExtensions
{
    public const string HangfireDashboardPath = "/ops/hangfire";

    /// <summary>
    /// What the web host adds on top of the core (<c>AddAnnualCycleCore</c>): sign-in (cookie, bearer, OpenID Connect when
    /// configured), policies, problem details, OpenAPI, the readiness checks and the UI's date formatting.
    /// </summary>
    public static IServiceCollection AddAnnualCycleWeb(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // Sign-in cookies and bearer tokens are protected with keys every node must share: keep them in the data
        // folder (shared by the nodes of a deployment, as the uploads are), under one application name.
        services.AddDataProtection()
            .SetApplicationName("AnnualCycle")
            .PersistKeysToFileSystem(new DirectoryInfo(AnnualCycle.Data.DataFolder.From(configuration).Combine("keys")));
        services.AddAnnualCycleAuthentication(configuration, environment);
        services.AddAnnualCycleAuthorization();
        services.AddRequestForgeryGuard(configuration);

        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();

        // Malformed requests throw BadHttpRequestException, so the handler above can name the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"])
            .AddCheck<DefinitionsHealthCheck>("definitions", tags: ["ready"]);
        services.AddSingleton<Dates>();

        // Several nodes share one PostgreSQL: their live views hear each other's changes through it (LISTEN/NOTIFY).
        if (AnnualCycle.Data.DataServiceCollectionExtensions.ReadOptions(configuration).Provider == AnnualCycle.Data.DatabaseProvider.PostgreSql)
        {
            services.AddSingleton<PostgresChangeRelay>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeRelay>());
        }

        return services;
    }

    /// <summary>Middleware and endpoints: call once, after <c>Build()</c>.</summary>
    public static WebApplication MapAnnualCycleWeb(this WebApplication app)
    {
        app.UseSecurityHeaders(); // first: every response, errors and static files included
        app.UseExceptionHandler();
        app.UseStatusCodePages(); // an empty 401/403/404 gets a problem body too
        app.UseAuthentication();
        app.UseRequestForgeryGuard(); // before anything acts on a cookie-authenticated change
        app.UseAuthorization();

        app.MapOpenApi(); // /openapi/v1.json
        app.MapAuthEndpoints();
        app.MapOidcLogin(app.Configuration);
        app.MapMeEndpoints();
        app.MapAdminUsersEndpoints();
        app.MapHangfireDashboard(HangfireDashboardPath, new DashboardOptions
        {
            AsyncAuthorization = [new HangfireDashboardAuthorization()],
            IsReadOnlyFunc = HangfireDashboardAuthorization.IsReadOnly,
            DisplayStorageConnectionString = false,
        });
        return app;
    }

    /// <summary>Seeds the demo organisation when <c>Demo:Seed</c> allows; call after migrations.</summary>
    public static Task<DemoSeedOutcome> SeedDemoAsync(this WebApplication app) => DemoSeeder.SeedIfEnabledAsync(app.Services);
}
