using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>The cookie session the UI uses, and the Hangfire dashboard that only administrators may open.</summary>
[Collection(HostCollection.Name)]
public sealed class CookieSignInTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task CookieLogin_SetsAnHttpOnlyLaxCookie_ThatTheApiAccepts()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });

        var login = await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email = "hsn.handlaggare@demo.local", password = DemoUsers.Password });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("arshjul.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData("admin@demo.local", HttpStatusCode.OK)]
    [InlineData("processagare@demo.local", HttpStatusCode.Forbidden)]
    public async Task HangfireDashboard_OpensOnlyForAnAdministratorsCookie(string email, HttpStatusCode expected)
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = DemoUsers.Password })).StatusCode);

        var dashboard = await client.GetAsync("/ops/hangfire");

        Assert.Equal(expected, dashboard.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_Answers401_WithoutACookie()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/ops/hangfire")).StatusCode);
    }
}
