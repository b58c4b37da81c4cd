using System.Security.Claims;
using System.Text.Encodings.Web;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The real host with test stand-ins for what other modules provide: a header-based authentication scheme
/// (<c>X-Test-User</c>), an actor accessor reading grants from the database, the fake planner and catalog,
/// and a minimal DomainException → problem-details mapping.
/// </summary>
// Not "Development": its developer exception page sits inside any test middleware and would turn every problem into a 500.
public sealed class EngineApiFactory() : AnnualCycleFactory(new Dictionary<string, string?> { ["Environment"] = "Testing" })
{
    public const string UserHeader = "X-Test-User";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, _ => { });
            // Win over whatever schemes and default policy the host configures: these tests sign in by header.
            services.PostConfigure<AuthenticationOptions>(o =>
            {
                o.DefaultScheme = TestAuthHandler.SchemeName;
                o.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                o.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                o.DefaultForbidScheme = TestAuthHandler.SchemeName;
            });
            services.PostConfigure<AuthorizationOptions>(o =>
                o.DefaultPolicy = new AuthorizationPolicyBuilder(TestAuthHandler.SchemeName).RequireAuthenticatedUser().Build());
            services.RemoveAll<IActorAccessor>();
            services.AddScoped<IActorAccessor, DbActorAccessor>();
            services.RemoveAll<ICyclePlanner>();
            services.AddSingleton<ICyclePlanner, FakeCyclePlanner>();
            services.RemoveAll<IWorkflowCatalog>();
            services.AddSingleton<IWorkflowCatalog, FakeWorkflowCatalog>();
            services.AddTransient<IStartupFilter, DomainProblemsFilter>();
        });
    }

    private sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "Test";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var user = Request.Headers[UserHeader].ToString();
            if (string.IsNullOrEmpty(user))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], SchemeName);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
    }

    private sealed class DomainProblemsFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, call) =>
            {
                try
                {
                    await call(context);
                }
                catch (DomainException ex)
                {
                    var status = ex switch
                    {
                        InputException => 400,
                        ForbiddenActionException => 403,
                        NotFoundException => 404,
                        _ => 409,
                    };
                    var problem = new ProblemDetails { Status = status, Detail = ex.Message };
                    if (ex is InputException input)
                    {
                        problem.Extensions["field"] = input.Field;
                    }

                    context.Response.StatusCode = status;
                    await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json");
                }
            });
            next(app);
        };
    }
}
