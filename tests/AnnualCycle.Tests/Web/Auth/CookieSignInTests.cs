using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>The cookie session the UI uses, and the Hangfire dashboard that only system administrators may open.</summary>
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

        // A signed-in browser's change must come from this service's own pages with the custom header (RequestForgeryGuard).
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/logout");
        logout.Headers.Add("Origin", "http://localhost");
        logout.Headers.Add(AnnualCycle.Web.Auth.RequestForgeryGuard.HeaderName, "XMLHttpRequest");
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData(AnnualCycle.Tests.Web.People.TwoOrganisations.SystemAdmin, HttpStatusCode.OK)]
    [InlineData("admin@demo.local", HttpStatusCode.Forbidden)]
    [InlineData("processagare@demo.local", HttpStatusCode.Forbidden)]
    [InlineData("hsn.handlaggare@demo.local", HttpStatusCode.Forbidden)]
    public async Task HangfireDashboard_SpansEveryOrganisation_SoOnlyASystemAdministratorOpensIt(string email, HttpStatusCode expected)
    {
        await AnnualCycle.Tests.Web.People.TwoOrganisations.SeedAsync(host.Factory.Services);
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = DemoUsers.Password })).StatusCode);

        var dashboard = await client.GetAsync("/ops/hangfire/recurring");
        Assert.Equal(expected, dashboard.StatusCode);
        if (expected != HttpStatusCode.OK)
        {
            return;
        }

        // The system administrator has the full dashboard: its commands are offered and not refused as read-only.
        var page = await dashboard.Content.ReadAsStringAsync();
        Assert.Contains("js-jobs-list-command", page, StringComparison.Ordinal);
        using var trigger = new FormUrlEncodedContent([new("jobs[]", "annualcycle-no-such-job")]);
        // The host has antiforgery (the web UI registers it), so the dashboard renders a token and demands it
        // on commands: send it as the dashboard's own script does, so only the read-only check decides here.
        var token = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"");
        var header = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"");
        Assert.True(token.Success && header.Success, "the dashboard page carries an antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/ops/hangfire/recurring/trigger") { Content = trigger };
        request.Headers.Add(header.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[1].Value));
        request.Headers.Add("Origin", "http://localhost"); // as a browser on the dashboard page sends it
        var command = await client.SendAsync(request);
        Assert.NotEqual(HttpStatusCode.Unauthorized, command.StatusCode);
    }

    [Fact]
    public async Task HangfireDashboard_Answers401_WithoutACookie()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/ops/hangfire")).StatusCode);
    }
}
