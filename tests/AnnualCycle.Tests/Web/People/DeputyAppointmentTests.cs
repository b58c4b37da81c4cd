using System.Net;
using System.Net.Http.Json;
using AnnualCycle.Data;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Web.People.TwoOrganisations;

namespace AnnualCycle.Tests.Web.People;

/// <summary>
/// Deputies are appointed by an administrator or the process owner, with dates, journalled, and never so that one
/// person would give two signatures of a step's chain (issue 11, point 3). Region Västerbotten's chains: a nämnd's
/// återkopplingsrapport is submitted by a contributor of the nämnd (HSN), approved by the förvaltningsdirektör of its
/// förvaltning (HSF) and then by the nämnd (namnd, recorded by its secretary).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class DeputyAppointmentTests(TwoOrganisationsHost host) : IClassFixture<TwoOrganisationsHost>
{
    private const string Admin = "admin@demo.local";
    private const string Owner = "processagare@demo.local";

    [Theory]
    [InlineData(Admin)]
    [InlineData(Owner)]
    public async Task TheFörvaltningsdirektör_CannotBecomeTheNämndSecretarysDeputy(string appointer)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, appointer);
        var before = await CountAsync("DeputyAppointed");

        var response = await client.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.sekreterare@demo.local", deputyEmail = "hsn.direktor@demo.local", from = "2027-01-01", to = "2027-01-31" });

        var message = await ApiClient.FieldErrorAsync(response, "deputyEmail");
        Assert.Contains("two signatures", message, StringComparison.Ordinal);
        Assert.Contains("forvaltningsdirektor in HSF", message, StringComparison.Ordinal);
        Assert.Contains("namnd in HSN", message, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync("DeputyAppointed"));
        Assert.DoesNotContain((await ApiClient.JsonAsync(await client.GetAsync("/api/v1/deputies"))).EnumerateArray(),
            d => d.GetProperty("deputyName").GetString() == "Hälso- och sjukvårdsnämndens förvaltningsdirektör");
    }

    [Fact]
    public async Task TheNämndSecretary_CannotBecomeTheFörvaltningsdirektörsDeputy_Either()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);

        var response = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.direktor@demo.local", deputyEmail = "hsn.sekreterare@demo.local", from = "2027-01-01", to = "2027-01-31" });

        Assert.Contains("two signatures", await ApiClient.FieldErrorAsync(response, "deputyEmail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hsn.direktor@demo.local", "HSN", "namnd")]
    [InlineData("hsn.handlaggare@demo.local", "HSF", "forvaltningsdirektor")]
    [InlineData("hsn.sekreterare@demo.local", "HSN", "contributor")]
    public async Task AnAdministrator_CannotGiveOnePersonTwoRolesOfOneChain(string email, string bodyId, string role)
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);
        var id = await UserIdAsync(host.Factory, email);

        var response = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/grants", new { organisationId = Vasterbotten, bodyId, role });

        Assert.Contains("two signatures", await ApiClient.FieldErrorAsync(response, "role"), StringComparison.Ordinal);
        var user = await ApiClient.JsonAsync(await admin.GetAsync($"/api/v1/admin/users/{id}"));
        Assert.DoesNotContain(user.GetProperty("grants").EnumerateArray(), g => g.GetProperty("role").GetString() == role && g.GetProperty("bodyId").GetString() == bodyId);
    }

    [Fact]
    public async Task AGrantToAPrincipal_IsRefused_WhenTheirDeputyWouldThenHoldTwoSignatures()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);
        var principal = await UserIdAsync(host.Factory, "pn.handlaggare@demo.local");
        var appointed = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalUserId = principal, deputyEmail = "run.direktor@demo.local", from = Today(), to = Today().AddDays(30) });
        Assert.Equal(HttpStatusCode.Created, appointed.StatusCode);

        // Contributor of RUN by itself is harmless for the handläggare, but the deputy directs RUF, RUN's förvaltning.
        var response = await admin.PostAsJsonAsync($"/api/v1/admin/users/{principal}/grants", new { organisationId = Vasterbotten, bodyId = "RUN", role = "contributor" });

        var message = await ApiClient.FieldErrorAsync(response, "role");
        Assert.Contains("deputy of Patientnämndens handläggare", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/deputies/{(await ApiClient.JsonAsync(appointed)).GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/admin/users/{principal}/grants", new { organisationId = Vasterbotten, bodyId = "RUN", role = "contributor" })).StatusCode);
    }

    [Fact]
    public async Task Deputyships_CountOnlyWhereTheirDatesOverlap()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);

        // fhs.handlaggare stands in for HSN's handläggare in January: a contributor of HSN for those days …
        var first = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.handlaggare@demo.local", deputyEmail = "fhs.handlaggare@demo.local", from = "2027-01-01", to = "2027-01-31" });
        // … so not also for HSF's director in the same weeks, but in March.
        var overlapping = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.direktor@demo.local", deputyEmail = "fhs.handlaggare@demo.local", from = "2027-01-20", to = "2027-02-10" });
        var later = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.direktor@demo.local", deputyEmail = "fhs.handlaggare@demo.local", from = "2027-03-01", to = "2027-03-31" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("two signatures", await ApiClient.FieldErrorAsync(overlapping, "deputyEmail"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }

    [Fact]
    public async Task TheProcessOwner_AppointsAndRemovesADeputy_AndBothAreJournalled()
    {
        using var owner = await ApiClient.SignedInAsync(host.Factory, Owner);
        using var deputy = await ApiClient.SignedInAsync(host.Factory, "run.direktor@demo.local");
        var appointed = await CountAsync("DeputyAppointed");
        var removed = await CountAsync("DeputyRemoved");

        var response = await owner.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "fhs.direktor@demo.local", deputyEmail = "run.direktor@demo.local", from = Today(), to = Today().AddDays(7) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(appointed + 1, await CountAsync("DeputyAppointed"));
        var me = await ApiClient.JsonAsync(await deputy.GetAsync("/api/v1/me"));
        Assert.Contains(me.GetProperty("delegated").EnumerateArray(), d => d.GetProperty("grant").GetProperty("bodyId").GetString() == "FHF");

        var id = (await ApiClient.JsonAsync(response)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/deputies/{id}")).StatusCode);
        Assert.Equal(removed + 1, await CountAsync("DeputyRemoved"));
        me = await ApiClient.JsonAsync(await deputy.GetAsync("/api/v1/me"));
        Assert.DoesNotContain(me.GetProperty("delegated").EnumerateArray(), d => d.GetProperty("grant").GetProperty("bodyId").GetString() == "FHF");
    }

    [Theory]
    [InlineData("hsn.handlaggare@demo.local")]
    [InlineData("hsn.direktor@demo.local")]
    public async Task NeitherAContributorNorAnApprover_AppointsDeputies(string email)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, email);

        var appoint = await client.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = email, deputyEmail = "pn.handlaggare@demo.local", from = Today(), to = Today().AddDays(7) });

        Assert.Equal(HttpStatusCode.Forbidden, appoint.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/deputies")).StatusCode);
    }

    [Fact]
    public async Task NorrbottensProcessOwner_AppointsNoDeputyForVasterbotten_NorChoosesOneFromThere()
    {
        using var owner = await ApiClient.SignedInAsync(host.Factory, NorrbottenOwner);

        var forVasterbotten = await owner.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "hsn.handlaggare@demo.local", deputyEmail = NorrbottenContributor, from = Today(), to = Today().AddDays(7) });
        var fromVasterbotten = await owner.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = NorrbottenContributor, deputyEmail = "hsn.handlaggare@demo.local", from = Today(), to = Today().AddDays(7) });
        var forBoth = await owner.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = BothOrganisations, deputyEmail = NorrbottenContributor, from = Today(), to = Today().AddDays(7) });

        Assert.Contains("no such user", await ApiClient.FieldErrorAsync(forVasterbotten, "principalEmail"), StringComparison.Ordinal);
        Assert.Contains("no such user", await ApiClient.FieldErrorAsync(fromVasterbotten, "deputyEmail"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forBoth.StatusCode);
    }

    [Fact]
    public async Task ADeputyship_MustNotEndInThePast()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, Admin);

        var response = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalEmail = "pn.direktor@demo.local", deputyEmail = "pn.handlaggare@demo.local", from = "2020-01-01", to = "2020-01-31" });

        Assert.Contains("past", await ApiClient.FieldErrorAsync(response, "to"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Owner, true)]
    [InlineData(Admin, true)]
    [InlineData("hsn.handlaggare@demo.local", false)]
    public async Task TheDeputiesPage_IsForAdministratorsAndProcessOwners_DecidedOnTheServer(string email, bool allowed)
    {
        using var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = AnnualCycle.Runtime.Demo.DemoUsers.Password })).StatusCode);

        var page = await client.GetStringAsync("/admin/ersattare");

        Assert.Equal(allowed, page.Contains("data-testid=\"appoint-deputy\"", StringComparison.Ordinal));
        Assert.Equal(!allowed, page.Contains("data-testid=\"access-denied\"", StringComparison.Ordinal));
    }

    private static DateOnly Today() => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<int> CountAsync(string action)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Journal.CountAsync(j => j.Action == action);
    }
}
