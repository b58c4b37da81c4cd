using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web.Auth;

/// <summary>Sign-in, grants and deputies on the production shape: EF Core and Hangfire on PostgreSQL.</summary>
[Collection(HostCollection.Name)]
public sealed class SignInPostgreSqlTests
{
    [Fact]
    public async Task LoginAndMe_WorkOnPostgreSql_WhenTheDemoIsSeededExplicitly()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("people");
        await using var factory = AnnualCycleFactory.PostgreSql(connectionString, ("Demo:Seed", "true"));

        using var client = await ApiClient.SignedInAsync(factory, "hsn.direktor@demo.local");
        var me = await ApiClient.JsonAsync(await client.GetAsync("/api/v1/me"));
        using var anonymous = factory.CreateClient(new() { AllowAutoRedirect = false });
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = "hsn.direktor@demo.local", password = "fel-losenord-123" });

        var grant = Assert.Single(me.GetProperty("grants").EnumerateArray());
        Assert.Equal("HSF", grant.GetProperty("bodyId").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task DemoUsers_AreNotSeeded_OnPostgreSqlByDefault()
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("nodemo");
        await using var factory = AnnualCycleFactory.PostgreSql(connectionString);
        using var client = factory.CreateClient();

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "admin@demo.local", password = AnnualCycle.Runtime.Demo.DemoUsers.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}
