using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Tests.Web.Auth;

public sealed class AuthenticationSetupTests
{
    [Fact]
    public async Task OpenIdConnect_IsNotRegistered_WithoutAnAuthority()
    {
        await using var services = await PeopleServices.BuildAsync(migrate: false);

        var schemes = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();

        Assert.DoesNotContain(schemes, s => s.Name == AuthenticationSetup.OidcScheme);
        Assert.Contains(schemes, s => s.Name == IdentityConstants.BearerScheme);
        Assert.Contains(schemes, s => s.Name == IdentityConstants.ApplicationScheme);
    }

    [Fact]
    public async Task OpenIdConnect_UsesAuthorizationCodeWithPkce_WhenAnAuthorityIsSet()
    {
        await using var services = await PeopleServices.BuildAsync(
            migrate: false,
            settings: [("Authentication:Oidc:Authority", "https://login.region.example/tenant/v2.0"), ("Authentication:Oidc:ClientId", "arshjul"), ("Authentication:Oidc:ClientSecret", "hemligt")]);

        var schemes = await services.GetRequiredService<IAuthenticationSchemeProvider>().GetAllSchemesAsync();
        var options = services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(AuthenticationSetup.OidcScheme);

        Assert.Contains(schemes, s => s.Name == AuthenticationSetup.OidcScheme);
        Assert.Equal("code", options.ResponseType);
        Assert.True(options.UsePkce);
        Assert.Equal("arshjul", options.ClientId);
        Assert.Contains("email", options.Scope);
        Assert.Equal(IdentityConstants.ApplicationScheme, options.SignInScheme);
    }

    [Fact]
    public async Task ApplicationCookie_IsHttpOnlyLax_AndSecureOutsideDevelopment()
    {
        await using var development = await PeopleServices.BuildAsync(migrate: false);
        await using var production = await PeopleServices.BuildAsync(environment: "Production", migrate: false);

        var dev = development.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var prod = production.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);

        Assert.True(prod.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Lax, prod.Cookie.SameSite);
        Assert.Equal(CookieSecurePolicy.Always, prod.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, dev.Cookie.SecurePolicy);
        Assert.Equal("/konto/logga-in", prod.LoginPath.Value);
    }

    [Fact]
    public async Task Identity_DemandsTwelveCharacters_AndThrottlesFiveFailuresPerAccountInFifteenMinutes()
    {
        await using var services = await PeopleServices.BuildAsync(migrate: false);

        var options = services.GetRequiredService<IOptions<IdentityOptions>>().Value;

        Assert.Equal(12, options.Password.RequiredLength);
        // Failures are throttled (SignInThrottle), never turned into a lock; lockout stays on for administrators' locks.
        Assert.True(options.Lockout.AllowedForNewUsers);
        var throttle = services.GetRequiredService<IOptions<AnnualCycle.Web.Auth.SignInThrottleOptions>>().Value;
        Assert.Equal(5, throttle.FailuresPerAccount);
        Assert.Equal(20, throttle.FailuresPerAddress);
        Assert.Equal(TimeSpan.FromMinutes(15), throttle.Window);
        Assert.True(options.User.RequireUniqueEmail);
        Assert.False(options.SignIn.RequireConfirmedAccount);
    }
}
