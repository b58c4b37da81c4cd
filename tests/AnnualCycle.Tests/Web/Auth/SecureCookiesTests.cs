using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data.Identity;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Ui;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>
/// Outside Development every cookie the service sets is <c>Secure</c> (issue 11): the sign-in session, the antiforgery
/// token and the language choice, so none is ever sent over an unencrypted connection; also when a request reached the
/// service as plain HTTP (a proxy that ended TLS), where the antiforgery system sets no cookie at all. In Development, on
/// http://localhost, they are not.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SecureCookiesTests
{
    private const string Email = "kaka@region.se";
    private const string Password = "Langt-losenord-2026!";

    [Theory]
    [InlineData("Production", "https://localhost", true)]
    [InlineData("Staging", "https://localhost", true)]
    [InlineData("Production", "http://localhost", true)]
    [InlineData("Development", "http://localhost", false)]
    public async Task EveryCookie_IsSecure_OutsideDevelopment_EvenOverPlainHttp(string environment, string baseAddress, bool secure)
    {
        await using var factory = AnnualCycleFactory.Sqlite(("Environment", environment), ("Demo:Seed", "false"));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var created = await users.CreateAsync(new AppUser { UserName = Email, Email = Email, DisplayName = "Kaka" }, Password);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }

        using var client = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(baseAddress) });
        var cookies = new List<string>();
        cookies.AddRange(SetCookies(await client.GetAsync("/konto/logga-in")));
        var login = await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email = Email, password = Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        cookies.AddRange(SetCookies(login));
        cookies.AddRange(SetCookies(await client.GetAsync(UiSetup.CulturePath + "?culture=en&returnUrl=/")));

        var names = cookies.Select(c => c[..c.IndexOf('=', StringComparison.Ordinal)]).ToHashSet();
        string[] expected = secure && baseAddress.StartsWith("http:", StringComparison.Ordinal)
            ? [UiText.CultureCookie, "arshjul.auth"]
            : [UiText.CultureCookie, "arshjul.af", "arshjul.auth"];
        Assert.Equal(expected, names.Order(StringComparer.Ordinal));
        Assert.All(cookies, c => Assert.True(
            secure == c.Split(';').Any(part => part.Trim().Equals("secure", StringComparison.OrdinalIgnoreCase)),
            $"{environment}: {c}"));
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
}
