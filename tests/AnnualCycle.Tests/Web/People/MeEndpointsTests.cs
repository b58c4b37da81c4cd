using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.People;

[Collection(HostCollection.Name)]
public sealed class MeEndpointsTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task Me_ShowsTheSignedInUsersGrants()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "regiondirektor@demo.local");

        var me = await ApiClient.JsonAsync(await client.GetAsync("/api/v1/me"));

        Assert.Equal("regiondirektor@demo.local", me.GetProperty("email").GetString());
        Assert.Equal("Regiondirektör", me.GetProperty("displayName").GetString());
        var roles = me.GetProperty("grants").EnumerateArray().Select(g => $"{g.GetProperty("organisationId").GetString()}/{g.GetProperty("bodyId").GetString()}/{g.GetProperty("role").GetString()}").ToList();
        Assert.Equal(["region-vasterbotten/RS/contributor", "region-vasterbotten/RS/regiondirektor"], roles);
        Assert.Empty(me.GetProperty("delegated").EnumerateArray());
    }

    [Fact]
    public async Task Deputy_AppointedByTheAdministrator_ActsWithThePrincipalsGrants_UntilRemoved()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        using var principal = await ApiClient.SignedInAsync(host.Factory, "fhs.direktor@demo.local");
        using var deputy = await ApiClient.SignedInAsync(host.Factory, "run.direktor@demo.local");
        var principalId = (await ApiClient.JsonAsync(await principal.GetAsync("/api/v1/me"))).GetProperty("id").GetString();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var named = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalUserId = principalId, deputyEmail = "run.direktor@demo.local", from = today.AddDays(-1), to = today.AddDays(1) });

        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        var me = await ApiClient.JsonAsync(await deputy.GetAsync("/api/v1/me"));
        var delegated = Assert.Single(me.GetProperty("delegated").EnumerateArray());
        Assert.Equal("FHF", delegated.GetProperty("grant").GetProperty("bodyId").GetString());
        Assert.Equal("Folkhögskolestyrelsens förvaltningsdirektör", delegated.GetProperty("onBehalfOfName").GetString());
        Assert.Single((await ApiClient.JsonAsync(await principal.GetAsync("/api/v1/me/deputies"))).EnumerateArray());

        var id = (await ApiClient.JsonAsync(named)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/deputies/{id}")).StatusCode);
        me = await ApiClient.JsonAsync(await deputy.GetAsync("/api/v1/me"));
        Assert.Empty(me.GetProperty("delegated").EnumerateArray());
    }

    [Fact]
    public async Task AUser_CannotNameOrRemoveTheirOwnDeputy()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "pn.handlaggare@demo.local");

        var named = await client.PostAsJsonAsync("/api/v1/me/deputies", new { deputyEmail = "hsn.handlaggare@demo.local", from = "2027-01-01", to = "2027-01-31" });
        var removed = await client.DeleteAsync($"/api/v1/me/deputies/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, named.StatusCode);
        Assert.Contains(removed.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        Assert.Empty((await ApiClient.JsonAsync(await client.GetAsync("/api/v1/me/deputies"))).EnumerateArray());
    }

    [Fact]
    public async Task NameDeputy_Answers400_ForThemselvesOrABackwardsRange()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var self = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "pn.handlaggare@demo.local", deputyEmail = "pn.handlaggare@demo.local", from = "2027-01-01", to = "2027-01-31" });
        var backwards = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "pn.handlaggare@demo.local", deputyEmail = "hsn.handlaggare@demo.local", from = "2027-01-31", to = "2027-01-01" });

        Assert.Contains("own deputy", await ApiClient.FieldErrorAsync(self, "deputyEmail"), StringComparison.Ordinal);
        await ApiClient.FieldErrorAsync(backwards, "to");
    }

    [Fact]
    public async Task NameDeputy_Answers400NamingTheField_ForAMalformedDate()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var response = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "pn.handlaggare@demo.local", deputyEmail = "hsn.handlaggare@demo.local", from = "inte-ett-datum", to = "2027-01-31" });

        var message = await ApiClient.FieldErrorAsync(response, "from");
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateMe_SetsTheLanguage_AndRefusesOthers()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "ekonom@demo.local");

        var english = await client.PatchAsJsonAsync("/api/v1/me", new { language = "en" });
        var german = await client.PatchAsJsonAsync("/api/v1/me", new { language = "de" });

        Assert.Equal("en", (await ApiClient.JsonAsync(english)).GetProperty("language").GetString());
        await ApiClient.FieldErrorAsync(german, "language");
    }

}
