using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>API sign-in: bearer tokens, one answer for every failure, refresh, 401 instead of a redirect (throttling: SignInThrottleTests).</summary>
[Collection(HostCollection.Name)]
public sealed class SignInTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task Login_ReturnsBearerToken_ForDemoUser()
    {
        using var client = host.Factory.CreateClient();

        var token = await ApiClient.LoginAsync(client, "hsn.handlaggare@demo.local");

        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        Assert.True(token.GetProperty("expiresIn").GetInt64() > 0);
    }

    [Fact]
    public async Task Login_Returns401WithTheSameProblem_ForWrongPasswordAndUnknownEmail()
    {
        using var client = host.Factory.CreateClient();

        var wrongPassword = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "run.direktor@demo.local", password = "fel-losenord-123" });
        var unknownEmail = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@demo.local", password = "fel-losenord-123" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownEmail.StatusCode);
        Assert.Equal("application/problem+json", wrongPassword.Content.Headers.ContentType?.MediaType);
        var a = await ApiClient.JsonAsync(wrongPassword);
        var b = await ApiClient.JsonAsync(unknownEmail);
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
        Assert.DoesNotContain("run.direktor", a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_ReturnsANewAccessToken_ForAValidRefreshToken_And401ForGarbage()
    {
        using var client = host.Factory.CreateClient();
        var token = await ApiClient.LoginAsync(client, "pn.direktor@demo.local");

        var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token.GetProperty("refreshToken").GetString() });
        var garbage = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" });

        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var body = await ApiClient.JsonAsync(refreshed);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Fact]
    public async Task Api_Answers401NotARedirect_WithoutCredentials()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        var me = await client.GetAsync("/api/v1/me");
        var admin = await client.GetAsync("/api/v1/admin/users");

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
        Assert.Null(me.Headers.Location);
    }

    [Fact]
    public async Task Api_Answers401_ForAForgedBearerToken()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheSignInEndpoint()
    {
        using var client = host.Factory.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/auth/login", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/admin/users", document, StringComparison.Ordinal);
    }
}
