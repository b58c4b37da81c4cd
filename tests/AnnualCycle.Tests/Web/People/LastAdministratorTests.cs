using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;
using static AnnualCycle.Tests.Web.People.TwoOrganisations;

namespace AnnualCycle.Tests.Web.People;

/// <summary>
/// An organisation keeps an administrator who can sign in: nobody locks or demotes the last one, and no administrator
/// locks or demotes themselves (issue 11, point 5: "the only administrator can lock themselves out for good with one click").
/// </summary>
[Collection(HostCollection.Name)]
public sealed class LastAdministratorTests(TwoOrganisationsHost host) : IClassFixture<TwoOrganisationsHost>
{
    [Fact]
    public async Task AnAdministrator_CannotLockThemselves_NorRemoveTheirOwnAdministratorRole()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var self = await UserIdAsync(host.Factory, "admin@demo.local");

        var locked = await admin.PutAsJsonAsync($"/api/v1/admin/users/{self}", new { lockedOut = true });
        var demoted = await admin.DeleteAsync($"/api/v1/admin/users/{self}/grants?organisationId={Vasterbotten}&role=administrator");

        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("yourself", (await ApiClient.JsonAsync(locked)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        using var stillIn = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await stillIn.GetAsync("/api/v1/admin/users")).StatusCode);
    }

    [Fact]
    public async Task TheLastAdministrator_IsNeitherLockedNorDemoted_EvenByASystemAdministrator_UntilThereIsAnother()
    {
        using var system = await ApiClient.SignedInAsync(host.Factory, SystemAdmin);
        var first = await UserIdAsync(host.Factory, NorrbottenAdmin);
        var second = await UserIdAsync(host.Factory, NorrbottenOwner);

        var locked = await system.PutAsJsonAsync($"/api/v1/admin/users/{first}", new { lockedOut = true });
        // Region Västerbotten's administrator does not keep Region Norrbotten administered: counted per organisation.
        var demoted = await system.DeleteAsync($"/api/v1/admin/users/{first}/grants?organisationId={Norrbotten}&role=administrator");

        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains("last administrator of region-norrbotten", (await ApiClient.JsonAsync(locked)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);

        // A second administrator: now the first may be locked, and then the second is the last who can sign in.
        Assert.Equal(HttpStatusCode.Created, (await system.PostAsJsonAsync($"/api/v1/admin/users/{second}/grants", new { organisationId = Norrbotten, role = "administrator" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await system.PutAsJsonAsync($"/api/v1/admin/users/{first}", new { lockedOut = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await system.PutAsJsonAsync($"/api/v1/admin/users/{second}", new { lockedOut = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await system.DeleteAsync($"/api/v1/admin/users/{second}/grants?organisationId={Norrbotten}&role=administrator")).StatusCode);

        // Unlocked again, the first may demote the second.
        Assert.Equal(HttpStatusCode.OK, (await system.PutAsJsonAsync($"/api/v1/admin/users/{first}", new { lockedOut = false })).StatusCode);
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/admin/users/{second}/grants?organisationId={Norrbotten}&role=administrator")).StatusCode);
    }
}
