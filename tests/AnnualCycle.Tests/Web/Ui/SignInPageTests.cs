using System.Net;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AnnualCycle.Tests.Web.Ui;

/// <summary>The static sign-in page: where an anonymous visit lands, and the organisation-account link when OIDC is configured.</summary>
[Collection(HostCollection.Name)]
public sealed class SignInPageTests
{
    [Fact]
    public async Task Root_RedirectsAnonymousVisitorsToSignIn_WhichHasAnAntiforgeryTokenAndNoOidcLink()
    {
        await using var factory = AnnualCycleFactory.Sqlite(("Demo:Seed", "false"));
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var root = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.StartsWith("/konto/logga-in", root.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var page = await client.GetStringAsync("/konto/logga-in");
        Assert.Contains("__RequestVerificationToken", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Logga in med organisationskonto", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPage_OffersTheOrganisationAccount_WhenOidcIsConfigured()
    {
        await using var factory = AnnualCycleFactory.Sqlite(
            ("Demo:Seed", "false"),
            ("Authentication:Oidc:Authority", "https://login.example.test/region"),
            ("Authentication:Oidc:ClientId", "arshjul"));
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync("/konto/logga-in?ReturnUrl=%2Fcykler");
        Assert.Contains("Logga in med organisationskonto", page, StringComparison.Ordinal);
        Assert.Contains("/konto/logga-in/oidc?returnUrl=%2Fcykler", page, StringComparison.Ordinal);
    }
}
