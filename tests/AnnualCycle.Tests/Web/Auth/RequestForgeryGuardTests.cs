using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>
/// The forgery rule (<see cref="RequestForgeryGuard"/>) over every endpoint the host maps: a request that the sign-in
/// cookie authenticates and that changes state must come from this service (Origin/Referer) and carry the custom header
/// or an antiforgery token. The endpoints are read from the host's <see cref="EndpointDataSource"/>, so an endpoint added
/// tomorrow is walked too and cannot forget the rule.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class RequestForgeryGuardTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    private const string OwnOrigin = "http://localhost";
    private const string HostileOrigin = "http://127.0.0.1:8081";

    private static readonly string[] UnsafeMethods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    /// <summary>Blazor's unload beacon (navigator.sendBeacon cannot add a header): checked for its Origin only.</summary>
    private static readonly string[] OriginOnly = ["/_blazor/disconnect"];

    [Fact]
    public async Task EveryUnsafeEndpoint_RefusesACookieOnlyRequest_WithoutTheHeaderOrToken_OrFromAnotherOrigin()
    {
        using var client = await CookieClientAsync("processagare@demo.local");
        var endpoints = UnsafeEndpoints().ToList();

        // The walk reaches the API, the UI's own endpoints and Blazor's (a sanity check on the enumeration itself).
        Assert.Contains(endpoints, e => e.Path == "/api/v1/organisations/x/meetings/2027" && e.Method == "POST");
        Assert.Contains(endpoints, e => e.Path == "/api/v1/auth/logout");
        Assert.Contains(endpoints, e => e.Path == "/konto/logga-ut");
        Assert.Contains(endpoints, e => e.Path == "/konto/logga-in" && e.Method == "POST");
        Assert.Contains(endpoints, e => e.Path.StartsWith("/ops/hangfire", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Path.StartsWith("/_blazor", StringComparison.Ordinal));
        Assert.True(endpoints.Count >= 35, $"only {endpoints.Count} unsafe endpoints found: {string.Join(", ", endpoints)}");

        var missed = new List<string>();
        foreach (var (method, path, display) in endpoints)
        {
            // Same origin, no header, no token: only the token rule can refuse it.
            if (!OriginOnly.Contains(path) && !await IsRefusedAsync(client, method, path, origin: OwnOrigin, header: false))
            {
                missed.Add($"{method} {path} ({display}) without header or token");
            }

            // The header a cross-origin page cannot send, but from another origin (another port of the same host).
            if (!await IsRefusedAsync(client, method, path, origin: HostileOrigin, header: true))
            {
                missed.Add($"{method} {path} ({display}) from {HostileOrigin}");
            }
        }

        Assert.True(missed.Count == 0, "not refused by the forgery guard:\n" + string.Join("\n", missed));

        // Still signed in: no refused request reached a handler (the logouts among them included).
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task CookieRequest_FromThisService_WithTheHeader_IsServed()
    {
        using var client = await CookieClientAsync("hsn.handlaggare@demo.local");

        using var renew = Request(HttpMethod.Post, "/api/v1/me/calendar/renew", origin: OwnOrigin, header: true);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(renew)).StatusCode);

        // Referer stands in for an absent Origin.
        using var byReferer = Request(HttpMethod.Post, "/api/v1/me/calendar/renew", origin: null, header: true);
        byReferer.Headers.Referrer = new Uri(OwnOrigin + "/konto/installningar");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(byReferer)).StatusCode);

        // Neither Origin nor Referer: refused, the header alone is not enough.
        using var anonymousSource = Request(HttpMethod.Post, "/api/v1/me/calendar/renew", origin: null, header: true);
        Assert.True(await IsGuardRefusalAsync(await client.SendAsync(anonymousSource)));

        // "Origin: null" (a sandboxed frame, a data: URL) is not this service.
        using var nullOrigin = Request(HttpMethod.Post, "/api/v1/me/calendar/renew", origin: "null", header: true);
        Assert.True(await IsGuardRefusalAsync(await client.SendAsync(nullOrigin)));

        // A hostile Referer with no Origin is refused as well.
        using var hostileReferer = Request(HttpMethod.Post, "/api/v1/me/calendar/renew", origin: null, header: true);
        hostileReferer.Headers.Referrer = new Uri(HostileOrigin + "/win");
        Assert.True(await IsGuardRefusalAsync(await client.SendAsync(hostileReferer)));
    }

    [Fact]
    public async Task BearerClient_NeedsNoHeaderNorOrigin_EvenWhenItAlsoCarriesACookie()
    {
        using var bearer = await ApiClient.SignedInAsync(host.Factory, "hsn.handlaggare@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await bearer.PostAsync("/api/v1/me/calendar/renew", null)).StatusCode);

        using var both = await CookieClientAsync("hsn.handlaggare@demo.local");
        var token = await ApiClient.LoginAsync(bearer, "hsn.handlaggare@demo.local");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/me/calendar/renew");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await both.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task AnonymousApiSignIn_NeedsNoHeaderNorOrigin()
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "pn.direktor@demo.local", password = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private async Task<HttpClient> CookieClientAsync(string email)
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? origin, bool header)
    {
        // A body such as a cross-origin form or no-cors fetch may send.
        var request = new HttpRequestMessage(method, path) { Content = new StringContent("body,date\nRS,2027-03-03\n", System.Text.Encoding.UTF8, "text/plain") };
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        if (header)
        {
            request.Headers.Add(RequestForgeryGuard.HeaderName, "XMLHttpRequest");
        }

        return request;
    }

    private static async Task<bool> IsRefusedAsync(HttpClient client, string method, string path, string origin, bool header)
    {
        using var request = Request(new HttpMethod(method), path, origin, header);
        return await IsGuardRefusalAsync(await client.SendAsync(request));
    }

    /// <summary>The guard's own answer, not a handler's 403 or a 404 for a made-up id.</summary>
    private static async Task<bool> IsGuardRefusalAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return false;
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("title").GetString() == RequestForgeryGuard.RefusalTitle;
    }

    /// <summary>Every (method, concrete path) that changes state: each unsafe method a route endpoint accepts (all four when it names none).</summary>
    private IEnumerable<(string Method, string Path, string Display)> UnsafeEndpoints()
    {
        var source = host.Factory.Services.GetRequiredService<EndpointDataSource>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? UnsafeMethods;
            var path = Concrete(endpoint.RoutePattern);
            foreach (var method in methods.Where(m => UnsafeMethods.Contains(m, StringComparer.OrdinalIgnoreCase)))
            {
                if (seen.Add($"{method} {path}"))
                {
                    yield return (method.ToUpperInvariant(), path, endpoint.DisplayName ?? "");
                }
            }
        }
    }

    /// <summary>The route with every parameter filled by a value its constraints accept.</summary>
    private static string Concrete(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => Sample(parameter),
            _ => "x",
        })));
        return "/" + string.Join("/", segments);
    }

    private static string Sample(RoutePatternParameterPart parameter)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content ?? "").ToList();
        if (constraints.Contains("guid"))
        {
            return "8f2b8f7e-2c41-4c3e-9a55-1c0a4a9e3b10";
        }

        return constraints.Any(c => c is "int" or "long") ? "2027" : "x";
    }
}
