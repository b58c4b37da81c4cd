using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.People;

[Collection(HostCollection.Name)]
public sealed class MeEmailDeliveryTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Fact]
    public async Task UpdateMe_SetsWeeklyDigest_AndBackToImmediate()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "pn.handlaggare@demo.local");

        var digest = await client.PatchAsJsonAsync("/api/v1/me", new { emailDelivery = "WeeklyDigest" });
        Assert.Equal(HttpStatusCode.OK, digest.StatusCode);
        Assert.Equal("WeeklyDigest", (await ApiClient.JsonAsync(await client.GetAsync("/api/v1/me"))).GetProperty("emailDelivery").GetString());

        var immediate = await ApiClient.JsonAsync(await client.PatchAsJsonAsync("/api/v1/me", new { emailDelivery = "immediate" }));
        Assert.Equal("Immediate", immediate.GetProperty("emailDelivery").GetString());
    }

    [Fact]
    public async Task UpdateMe_Answers400NamingTheField_ForAnUnknownDelivery_AndChangesNothing()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "fhs.handlaggare@demo.local");

        var bad = await client.PatchAsJsonAsync("/api/v1/me", new { language = "en", emailDelivery = "Daily" });
        var numeric = await client.PatchAsJsonAsync("/api/v1/me", new { emailDelivery = "1" });

        Assert.Contains("WeeklyDigest", await ApiClient.FieldErrorAsync(bad, "emailDelivery"), StringComparison.Ordinal);
        await ApiClient.FieldErrorAsync(numeric, "emailDelivery");
        var me = await ApiClient.JsonAsync(await client.GetAsync("/api/v1/me"));
        Assert.Equal("sv", me.GetProperty("language").GetString());
        Assert.Equal("Immediate", me.GetProperty("emailDelivery").GetString());
    }
}
