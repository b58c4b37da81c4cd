using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using AnnualCycle.Data.Identity;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.People;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.People;

/// <summary>One mailbox, one account: addresses are normalised wherever a user is created, signed in or matched (issue 11, point 6).</summary>
public sealed class EmailNormalisationTests
{
    [Theory]
    [InlineData("anna@region.se", "anna@region.se")]
    [InlineData("  Anna.Andersson@Region.SE  ", "anna.andersson@region.se")]
    public void Email_IsTrimmedAndLowerCased(string given, string expected)
    {
        Assert.Equal(expected, PeopleInput.Email("email", given));
    }

    [Theory]
    [InlineData("anna@region.se.")] // the same mailbox in DNS: would be a second account
    [InlineData("anna@region..se")]
    [InlineData("an\u200Bna@region.se")] // zero-width space
    [InlineData("anna\u202E@region.se")] // right-to-left override
    [InlineData("ａnna@region.se")] // full-width a
    public void Email_RefusesSpellingsOfAnotherAccountsMailbox(string given)
    {
        Assert.Equal("email", Assert.Throws<InputException>(() => PeopleInput.Email("email", given)).Field);
    }

    [Theory]
    [InlineData("anna@region.se")]
    [InlineData(" ANNA@Region.se ")]
    [InlineData("anna@region.se.")]
    [InlineData("an\u200Bna@region.se")]
    public void Normalize_GivesOneKeyPerMailbox(string given)
    {
        Assert.Equal("ANNA@REGION.SE", EmailAddresses.Normalize(given));
    }

    [Fact]
    public async Task Lookups_ForgiveCaseSpacesAndATrailingDot_ForSignInAndOpenIdConnect()
    {
        await using var services = await PeopleServices.BuildAsync();
        string id;
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = "anna@region.example", Email = "anna@region.example", DisplayName = "Anna" };
            Assert.True((await users.CreateAsync(user, "ett-langt-losenord")).Succeeded);
            id = user.Id;

            Assert.Equal(id, (await users.FindByEmailAsync(" Anna@Region.Example. "))?.Id);
            var second = new AppUser { UserName = "anna@region.example.", Email = "ANNA@region.example.", DisplayName = "Anna igen" };
            Assert.False((await users.CreateAsync(second, "ett-langt-losenord")).Succeeded);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var context = OidcContext(scope.ServiceProvider, "ANNA@region.example.");
            await OidcUserMapping.MapToLocalUserAsync(context);
            Assert.Equal(id, context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier));
        }
    }

    private static TokenValidatedContext OidcContext(IServiceProvider services, string email)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "external-1"), new Claim("email", email)], "oidc"));
        var scheme = new AuthenticationScheme(AuthenticationSetup.OidcScheme, null, typeof(OpenIdConnectHandler));
        return new TokenValidatedContext(http, scheme, new OpenIdConnectOptions(), principal, new AuthenticationProperties());
    }
}

/// <summary>The same through the API of the real host.</summary>
[Collection(HostCollection.Name)]
public sealed class EmailNormalisationApiTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task CreateUser_RefusesATrailingDot_AndFindsTheExistingMailboxWhateverItsCase()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var dotted = await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "hsn.handlaggare@demo.local.", displayName = "Dubblett", password = "ett-langt-losenord" });
        var shouted = await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "  HSN.Handlaggare@Demo.Local ", displayName = "Dubblett", password = "ett-langt-losenord" });

        Assert.Contains("dot", await ApiClient.FieldErrorAsync(dotted, "email"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, shouted.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithTheAddressSpelledDifferently_IsTheSameAccount()
    {
        using var plain = await ApiClient.SignedInAsync(host.Factory, "pn.handlaggare@demo.local");
        using var odd = await ApiClient.SignedInAsync(host.Factory, " PN.Handlaggare@Demo.Local. ");

        var a = await ApiClient.JsonAsync(await plain.GetAsync("/api/v1/me"));
        var b = await ApiClient.JsonAsync(await odd.GetAsync("/api/v1/me"));

        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }
}
