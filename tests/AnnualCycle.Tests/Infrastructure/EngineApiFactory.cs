using System.Security.Claims;
using System.Text.Encodings.Web;
using AnnualCycle.Runtime;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The real host (<see cref="AnnualCycleFactory"/>) with a header-based authentication scheme (<c>X-Test-User</c>) and
/// the definitions seam replaced by the fake planner and catalog (<see cref="CoreSeams.UseDefinitions"/>), so the API
/// runs over the engine tests' hand-built region.
/// </summary>
public static class EngineApiFactory
{
    public const string UserHeader = "X-Test-User";

    // Not "Development": its developer exception page sits inside any test middleware and would turn every problem into a 500.
    public static AnnualCycleFactory Create() =>
        new AnnualCycleFactory(new Dictionary<string, string?> { ["Environment"] = "Testing" }).WithServices(services =>
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
            services.UseDefinitions(new FakeWorkflowCatalog(), new FakeCyclePlanner());
        });

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
}
