using System.Net;
using AnnualCycle.Cli;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Web.People;

namespace AnnualCycle.Tests.Cli;

/// <summary>
/// <c>grant-system-admin</c> / <c>revoke-system-admin</c> / <c>list-system-admins</c> on the database of a running host
/// (same DataFolder, so the same SQLite file): the only way to make a system administrator.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class SystemAdminVerbTests(TwoOrganisationsHost host) : IClassFixture<TwoOrganisationsHost>
{
    [Fact]
    public async Task GrantSystemAdmin_LetsTheUserAdministerEveryOrganisation_UntilRevoked()
    {
        var database = new[] { "--DataFolder", host.Factory.DataFolder };
        using var before = await ApiClient.SignedInAsync(host.Factory, TwoOrganisations.NorrbottenContributor);
        Assert.Equal(HttpStatusCode.Forbidden, (await before.GetAsync("/api/v1/admin/users")).StatusCode);

        var (granted, grantOut, _) = await Run(["grant-system-admin", "--email", " NB.Handlaggare@test.local ", .. database]);
        var (again, againOut, _) = await Run(["grant-system-admin", "--email", TwoOrganisations.NorrbottenContributor, .. database]);
        var (listed, listOut, _) = await Run(["list-system-admins", .. database]);

        Assert.Equal(0, granted);
        Assert.Contains("now a system administrator", grantOut, StringComparison.Ordinal);
        Assert.Equal(0, again);
        Assert.Contains("already", againOut, StringComparison.Ordinal);
        Assert.Equal(0, listed);
        Assert.Contains(TwoOrganisations.NorrbottenContributor, listOut, StringComparison.Ordinal);
        using (var system = await ApiClient.SignedInAsync(host.Factory, TwoOrganisations.NorrbottenContributor))
        {
            var users = await ApiClient.JsonAsync(await system.GetAsync("/api/v1/admin/users"));
            Assert.Contains(users.EnumerateArray(), u => u.GetProperty("email").GetString() == "admin@demo.local");
        }

        var (revoked, revokeOut, _) = await Run(["revoke-system-admin", "--email", TwoOrganisations.NorrbottenContributor, .. database]);

        Assert.Equal(0, revoked);
        Assert.Contains("no longer", revokeOut, StringComparison.Ordinal);
        using var after = await ApiClient.SignedInAsync(host.Factory, TwoOrganisations.NorrbottenContributor);
        Assert.Equal(HttpStatusCode.Forbidden, (await after.GetAsync("/api/v1/admin/users")).StatusCode);
    }

    [Fact]
    public async Task GrantSystemAdmin_Exits1ForAnUnknownUser_And2WithoutAnEmail()
    {
        var database = new[] { "--DataFolder", host.Factory.DataFolder };

        var (unknown, _, unknownErr) = await Run(["grant-system-admin", "--email", "finns.inte@test.local", .. database]);
        var (missing, _, missingErr) = await Run(["grant-system-admin", .. database]);
        var (bad, _, badErr) = await Run(["grant-system-admin", "--email", "inte-en-adress", .. database]);

        Assert.Equal(1, unknown);
        Assert.Contains("No user", unknownErr, StringComparison.Ordinal);
        Assert.Equal(2, missing);
        Assert.Contains("--email", missingErr, StringComparison.Ordinal);
        Assert.Equal(2, bad);
        Assert.Contains("--email", badErr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
