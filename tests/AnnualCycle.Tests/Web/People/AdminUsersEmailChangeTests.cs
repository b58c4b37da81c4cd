using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.People;

/// <summary>Changing a user's address is checked like creating one: an address that could not head an email is refused.</summary>
[Collection(HostCollection.Name)]
public sealed class AdminUsersEmailChangeTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Theory]
    [InlineData("inte-en-adress")]
    [InlineData("pn.handlaggare@demo.local\r\nBcc: x@evil.example")]
    [InlineData("pn.handlaggare@demo.local\n")]
    [InlineData("\"Namn\" <namn@demo.local>")]
    public async Task UpdateUser_Answers400NamingEmail_ForABadAddress_AndKeepsTheOldOne(string email)
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var users = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/users"));
        var id = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "pn.handlaggare@demo.local").GetProperty("id").GetString();

        var response = await admin.PutAsJsonAsync($"/api/v1/admin/users/{id}", new { email });

        await ApiClient.FieldErrorAsync(response, "email");
        var after = await ApiClient.JsonAsync(await admin.GetAsync($"/api/v1/admin/users/{id}"));
        Assert.Equal("pn.handlaggare@demo.local", after.GetProperty("email").GetString());
    }

    [Fact]
    public async Task UpdateUser_AcceptsAPlainAddress()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var created = await ApiClient.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "flyttar@demo.local", displayName = "Flyttar", language = "sv", password = "ett-langt-losenord" }));

        var response = await admin.PutAsJsonAsync($"/api/v1/admin/users/{created.GetProperty("id").GetString()}", new { email = "Flyttat@Demo.local" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("flyttat@demo.local", (await ApiClient.JsonAsync(response)).GetProperty("email").GetString());
    }
}
