using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>
/// Failed sign-ins are throttled per client address and per account (429 with Retry-After) instead of locking the
/// account: a guesser is slowed, the account's owner keeps every live session and token.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SignInThrottleTests(SignInThrottleTests.AddressedHost host) : IClassFixture<SignInThrottleTests.AddressedHost>
{
    private const string Attacker = "203.0.113.7";
    private const string Owner = "198.51.100.20";

    [Fact]
    public async Task FiveFailuresForOneAccount_Answer429WithRetryAfter_FromAnyAddress_WhileItsSessionsAndTokensLiveOn()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "utsatt@demo.local", displayName = "Utsatt användare", language = "sv", password = "ett-langt-losenord" })).StatusCode);

        // The owner is signed in twice: a bearer token (with its refresh token) and a browser cookie.
        using var bearer = host.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var token = await ApiClient.LoginAsync(bearer, "utsatt@demo.local", "ett-langt-losenord");
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        using var browser = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email = "utsatt@demo.local", password = "ett-langt-losenord" })).StatusCode);

        for (var i = 1; i <= 5; i++)
        {
            var (status, _, body) = await LoginFromAsync(Attacker, "Utsatt@Demo.local ", "fel-losenord-" + i);
            Assert.True(status == StatusCodes.Status401Unauthorized, $"{status}: {body}");
        }

        // The sixth try is not even checked: the right password from the attacker's address and from the owner's are both throttled.
        foreach (var address in new[] { Attacker, Owner })
        {
            var (status, retryAfter, body) = await LoginFromAsync(address, "utsatt@demo.local", "ett-langt-losenord");
            Assert.Equal(StatusCodes.Status429TooManyRequests, status);
            Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 300);
            Assert.Equal("Too many failed sign-ins", body.GetProperty("title").GetString());
        }

        // The account is not locked, and everything its owner holds still works.
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);
        using var refreshing = host.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await refreshing.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = token.GetProperty("refreshToken").GetString() })).StatusCode);
        var users = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/users"));
        Assert.Contains(users.EnumerateArray(), u => u.GetProperty("email").GetString() == "utsatt@demo.local" && !u.GetProperty("lockedOut").GetBoolean());

        // Another account from the attacker's address is not affected by this account's count.
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(Attacker, "pn.direktor@demo.local", DemoUsers.Password)).Status);
    }

    [Fact]
    public async Task AnUnknownEmail_IsThrottledExactlyAsAKnownOne()
    {
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await LoginFromAsync("203.0.113.8", "finns-inte@demo.local", "fel-losenord-" + i)).Status);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await LoginFromAsync("203.0.113.9", "finns-inte@demo.local", "fel-losenord-6")).Status);
    }

    [Fact]
    public async Task TwentyFailuresFromOneAddress_OverManyAccounts_Answer429ThereOnly()
    {
        const string sprayer = "203.0.113.50";
        for (var i = 1; i <= 20; i++)
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await LoginFromAsync(sprayer, $"gissning{i}@demo.local", "Sommar2026!")).Status);
        }

        var (status, retryAfter, _) = await LoginFromAsync(sprayer, "fhs.direktor@demo.local", DemoUsers.Password);
        Assert.Equal(StatusCodes.Status429TooManyRequests, status);
        Assert.NotNull(retryAfter);
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync("198.51.100.21", "fhs.direktor@demo.local", DemoUsers.Password)).Status);
    }

    /// <summary>POST /api/v1/auth/login as a client at <paramref name="address"/>.</summary>
    private async Task<(int Status, string? RetryAfter, JsonElement Body)> LoginFromAsync(string address, string email, string password)
    {
        using var client = host.Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(AddressedHost.AddressHeader, address);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length > 0 ? JsonSerializer.Deserialize<JsonElement>(text) : default;
        return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), body);
    }

    /// <summary>The SQLite host, where a test may say which client address a request comes from (TestServer has none).</summary>
    public sealed class AddressedHost : IAsyncLifetime
    {
        public const string AddressHeader = "X-Test-Client-Address";

        public AnnualCycleFactory Factory { get; } = AnnualCycleFactory.Sqlite()
            .WithServices(services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, AddressFilter>());

        public Task InitializeAsync()
        {
            Factory.CreateClient().Dispose();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Factory.DisposeAsync();

        private sealed class AddressFilter : Microsoft.AspNetCore.Hosting.IStartupFilter
        {
            public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
            {
                app.Use((HttpContext context, RequestDelegate following) =>
                {
                    if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                    {
                        context.Connection.RemoteIpAddress = address;
                    }

                    return following(context);
                });
                next(app);
            };
        }
    }
}
