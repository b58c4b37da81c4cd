using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.People;

[Collection(HostCollection.Name)]
public sealed class AdminUsersEndpointsTests(SqliteHost host) : IClassFixture<SqliteHost>
{
    [Theory]
    [InlineData("processagare@demo.local")]
    [InlineData("hsn.direktor@demo.local")]
    public async Task ListUsers_Answers403_ForANonAdministrator(string email)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, email);

        var response = await client.GetAsync("/api/v1/admin/users");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ListUsers_Answers200WithTheDemoUsers_ForAnAdministrator()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var users = await ApiClient.JsonAsync(await client.GetAsync("/api/v1/admin/users"));

        var director = users.EnumerateArray().Single(u => u.GetProperty("email").GetString() == "hsn.direktor@demo.local");
        var grant = Assert.Single(director.GetProperty("grants").EnumerateArray());
        Assert.Equal("HSF", grant.GetProperty("bodyId").GetString());
        Assert.Equal("forvaltningsdirektor", grant.GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("inte-en-adress", "email")]
    [InlineData("a@b@demo.local", "email")]
    [InlineData("\"Namn\" <namn@demo.local>", "email")]
    [InlineData("ny@demo.local\r\nBcc: x@evil.example", "email")]
    public async Task CreateUser_Answers400NamingEmail_ForABadAddress(string email, string field)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var response = await client.PostAsJsonAsync("/api/v1/admin/users", new { email, displayName = "Ny användare", language = "sv", password = "ett-langt-losenord" });

        await ApiClient.FieldErrorAsync(response, field);
    }

    [Theory]
    [InlineData("Rad ett\r\nRad två")]
    [InlineData("Rad ett\nRad två")]
    public async Task CreateUser_Answers400NamingDisplayName_ForALineBreak(string displayName)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var response = await client.PostAsJsonAsync("/api/v1/admin/users", new { email = "radbrytning@demo.local", displayName, language = "sv", password = "ett-langt-losenord" });

        Assert.Contains("line breaks", await ApiClient.FieldErrorAsync(response, "displayName"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateUser_Answers400NamingPassword_ForAShortPassword()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var response = await client.PostAsJsonAsync("/api/v1/admin/users", new { email = "kort@demo.local", displayName = "Kort", language = "sv", password = "kort" });

        await ApiClient.FieldErrorAsync(response, "password");
    }

    [Fact]
    public async Task CreateUser_Answers409_ForAnEmailInUse()
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var response = await client.PostAsJsonAsync("/api/v1/admin/users", new { email = "HSN.Direktor@demo.local", displayName = "Dubblett", language = "sv", password = "ett-langt-losenord" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Grants_CanBeAddedAndRemoved_AndTheUserSeesThemInMe()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var created = await ApiClient.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "controller@demo.local", displayName = "Controller HSF", language = "en", password = "ett-langt-losenord" }));
        var id = created.GetProperty("id").GetString();

        var added = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/grants", new { organisationId = "region-vasterbotten", bodyId = "HSF", role = "contributor" });
        var again = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/grants", new { organisationId = "region-vasterbotten", bodyId = "HSF", role = "contributor" });
        var orgWideWithBody = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/grants", new { organisationId = "region-vasterbotten", bodyId = "HSF", role = "administrator" });

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await ApiClient.FieldErrorAsync(orgWideWithBody, "bodyId");
        using (var user = await ApiClient.SignedInAsync(host.Factory, "controller@demo.local", "ett-langt-losenord"))
        {
            var me = await ApiClient.JsonAsync(await user.GetAsync("/api/v1/me"));
            Assert.Equal("en", me.GetProperty("language").GetString());
            // Created as a member of the administrator's organisation, then given the role.
            Assert.Equal(["member", "contributor"], me.GetProperty("grants").EnumerateArray().Select(g => g.GetProperty("role").GetString()).OrderBy(r => r == "member" ? 0 : 1));
            Assert.Contains(me.GetProperty("grants").EnumerateArray(), g => g.GetProperty("bodyId").GetString() == "HSF");
        }

        var removed = await admin.DeleteAsync($"/api/v1/admin/users/{id}/grants?organisationId=region-vasterbotten&bodyId=HSF&role=contributor");
        var removedAgain = await admin.DeleteAsync($"/api/v1/admin/users/{id}/grants?organisationId=region-vasterbotten&bodyId=HSF&role=contributor");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        // Each change that happened is journalled once, about the user, by the administrator; the refused ones are not.
        var journal = await JournalAboutAsync($"users/{id}");
        Assert.Equal(["UserCreated", "GrantAdded", "GrantRemoved"], journal.Select(j => j.Action));
        var adminId = await UserIdAsync("admin@demo.local");
        Assert.All(journal, j => Assert.Equal(adminId, j.ActorUserId));
        Assert.Equal(journal[1].Comment, journal[2].Comment);
        Assert.Contains("contributor", journal[1].Comment, StringComparison.Ordinal);
    }

    private async Task<List<AnnualCycle.Data.Cycles.JournalEntryEntity>> JournalAboutAsync(string subject)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnnualCycle.Data.AnnualCycleDbContext>().Journal.AsNoTracking()
            .Where(j => j.Subject == subject).OrderBy(j => j.Sequence).ToListAsync();
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnnualCycle.Data.AnnualCycleDbContext>().Users
            .Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }

    [Fact]
    public async Task UpdateUser_ChangesTheDisplayName_And404sForAnUnknownUser()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        var created = await ApiClient.JsonAsync(await admin.PostAsJsonAsync("/api/v1/admin/users", new { email = "bytnamn@demo.local", displayName = "Före", language = "sv", password = "ett-langt-losenord" }));

        var updated = await admin.PutAsJsonAsync($"/api/v1/admin/users/{created.GetProperty("id").GetString()}", new { displayName = "Efter" });
        var unknown = await admin.PutAsJsonAsync("/api/v1/admin/users/finns-inte", new { displayName = "Efter" });

        Assert.Equal("Efter", (await ApiClient.JsonAsync(updated)).GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
