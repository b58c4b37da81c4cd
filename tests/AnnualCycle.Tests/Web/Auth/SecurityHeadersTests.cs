using System.Text.RegularExpressions;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>
/// Every kind of response carries the browser-side defences (<c>SecurityHeaders</c>): a page, an API answer (a success
/// and a refusal), a static file and an unknown address. That the policy leaves the Blazor UI working is shown in a
/// real Chromium by <c>UiSecurityHeadersTests</c>.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SecurityHeadersTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Theory]
    [InlineData("/konto/logga-in")] // a page
    [InlineData("/health/live")] // an API answer
    [InlineData("/api/v1/me")] // an API refusal (401 problem)
    [InlineData("/app.css")] // a static file
    [InlineData("/_content/MudBlazor/MudBlazor.min.js")] // a library's static file
    [InlineData("/finns-inte")] // an unknown address
    public async Task EveryResponse_CarriesCspNosniffReferrerPolicyAndNoFraming(string path)
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        var csp = Single(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Matches(@"script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='(;|$)", csp);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
    }

    [Fact]
    public async Task APage_ItsOnlyInlineScript_CarriesThisResponsesNonce_AndTheNextResponseGetsAnother()
    {
        using var client = host.Factory.CreateClient();

        using var first = await client.GetAsync("/konto/logga-in");
        using var second = await client.GetAsync("/konto/logga-in");

        var nonce = Regex.Match(Single(first, "Content-Security-Policy"), "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEqual(nonce, Regex.Match(Single(second, "Content-Security-Policy"), "'nonce-([^']+)'").Groups[1].Value);
        var html = await first.Content.ReadAsStringAsync();
        var inline = Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => m.Value).ToList();
        Assert.NotEmpty(inline); // Blazor's import map
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
    }

    private static string Single(HttpResponseMessage response, string name)
    {
        var values = response.Headers.TryGetValues(name, out var h) ? h : response.Content.Headers.TryGetValues(name, out var c) ? c : [];
        return Assert.Single(values);
    }
}
