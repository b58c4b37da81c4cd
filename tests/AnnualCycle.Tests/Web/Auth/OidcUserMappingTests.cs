using System.Security.Claims;
using AnnualCycle.Data.Identity;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>An identity from the region's OpenID Connect provider is let in only as the local user with its email.</summary>
public sealed class OidcUserMappingTests
{
    [Fact]
    public async Task KnownEmail_BecomesTheLocalUsersPrincipal()
    {
        await using var services = await PeopleServices.BuildAsync();
        var id = await CreateUserAsync(services, "anna.andersson@region.example");
        await using var scope = services.CreateAsyncScope();
        var context = Context(scope.ServiceProvider, "Anna.Andersson@region.example");

        await OidcUserMapping.MapToLocalUserAsync(context);

        Assert.Null(context.Result);
        Assert.Equal(id, context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier));
    }

    [Theory]
    [InlineData("okand@region.example")]
    [InlineData(null)]
    public async Task UnknownOrMissingEmail_IsDenied(string? email)
    {
        await using var services = await PeopleServices.BuildAsync();
        await CreateUserAsync(services, "anna.andersson@region.example");
        await using var scope = services.CreateAsyncScope();
        var context = Context(scope.ServiceProvider, email);

        await OidcUserMapping.MapToLocalUserAsync(context);

        Assert.NotNull(context.Result?.Failure);
    }

    private static async Task<string> CreateUserAsync(IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, DisplayName = "Anna Andersson" };
        Assert.True((await users.CreateAsync(user, "ett-langt-losenord")).Succeeded);
        return user.Id;
    }

    private static TokenValidatedContext Context(IServiceProvider services, string? email)
    {
        var http = new DefaultHttpContext { RequestServices = services };
        var claims = new List<Claim> { new("sub", "external-123") };
        if (email is not null)
        {
            claims.Add(new Claim("email", email));
        }

        var scheme = new AuthenticationScheme(AuthenticationSetup.OidcScheme, null, typeof(OpenIdConnectHandler));
        return new TokenValidatedContext(http, scheme, new OpenIdConnectOptions(), new ClaimsPrincipal(new ClaimsIdentity(claims, "oidc")), new AuthenticationProperties());
    }
}
