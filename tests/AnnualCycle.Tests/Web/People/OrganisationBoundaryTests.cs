using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Demo;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Web.People.TwoOrganisations;

namespace AnnualCycle.Tests.Web.People;

/// <summary>
/// The organisation is a boundary: an administrator of Region Norrbotten only can neither see nor change anything of
/// Region Västerbotten (issue 11, point 1), while a system administrator (made by the CLI) spans both.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OrganisationBoundaryTests(TwoOrganisationsHost host) : IClassFixture<TwoOrganisationsHost>
{
    [Fact]
    public async Task NorrbottenAdmin_ListsOnlyUsersWithAGrantInNorrbotten_AndOnlyTheirNorrbottenGrants()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);

        var users = (await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/users"))).EnumerateArray().ToList();

        var emails = users.Select(u => u.GetProperty("email").GetString()).ToList();
        Assert.Contains(NorrbottenContributor, emails);
        Assert.Contains(BothOrganisations, emails);
        Assert.DoesNotContain("admin@demo.local", emails);
        Assert.DoesNotContain("hsn.handlaggare@demo.local", emails);
        Assert.DoesNotContain(SystemAdmin, emails);
        var both = users.Single(u => u.GetProperty("email").GetString() == BothOrganisations);
        Assert.All(both.GetProperty("grants").EnumerateArray(), g => Assert.Equal(Norrbotten, g.GetProperty("organisationId").GetString()));
        Assert.True(both.GetProperty("otherOrganisations").GetBoolean());
    }

    [Fact]
    public async Task NorrbottenAdmin_Gets404_ForAVasterbottenUser_AndTheirDeputies()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        var vasterbottenAdmin = await UserIdAsync(host.Factory, "admin@demo.local");

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/admin/users/{vasterbottenAdmin}")).StatusCode);
        var appoint = await admin.PostAsJsonAsync("/api/v1/deputies", new { principalUserId = vasterbottenAdmin, deputyEmail = NorrbottenContributor, from = "2026-01-01", to = "2030-12-31" });
        Assert.Contains("no such user", await ApiClient.FieldErrorAsync(appoint, "principalUserId"), StringComparison.Ordinal);
        Assert.DoesNotContain((await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/deputies"))).EnumerateArray(), d => d.GetProperty("principalUserId").GetString() == vasterbottenAdmin);
    }

    [Fact]
    public async Task NorrbottenAdmin_CannotGrantItselfProcessOwnerOfVasterbotten_NorSkipItsSteps()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        using var owner = await ApiClient.SignedInAsync(host.Factory, "processagare@demo.local");
        var self = await UserIdAsync(host.Factory, NorrbottenAdmin);
        var cycle = await CycleOfVasterbottenAsync(owner);
        var step = (await owner.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycle}/steps")).EnumerateArray().First();

        var grant = await admin.PostAsJsonAsync($"/api/v1/admin/users/{self}/grants", new { organisationId = Vasterbotten, role = "process-owner" });
        var skip = await admin.PostAsJsonAsync($"/api/v1/steps/{step.GetProperty("id").GetGuid()}/skip", new { reason = "övertagen" });

        Assert.Equal(HttpStatusCode.Forbidden, grant.StatusCode);
        Assert.Contains(skip.StatusCode, new[] { HttpStatusCode.Forbidden, HttpStatusCode.NotFound });
        var me = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/me"));
        Assert.All(me.GetProperty("grants").EnumerateArray(), g => Assert.Equal(Norrbotten, g.GetProperty("organisationId").GetString()));
    }

    [Fact]
    public async Task NorrbottenAdmin_CannotResetThePasswordOf_NorLock_AVasterbottenAdministrator()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        var target = await UserIdAsync(host.Factory, "admin@demo.local");

        var reset = await admin.PutAsJsonAsync($"/api/v1/admin/users/{target}", new { password = "ett-nytt-losenord-2026" });
        var locked = await admin.PutAsJsonAsync($"/api/v1/admin/users/{target}", new { lockedOut = true });
        var email = await admin.PutAsJsonAsync($"/api/v1/admin/users/{target}", new { email = "tagen@test.local" });

        Assert.Equal(HttpStatusCode.NotFound, reset.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, locked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, email.StatusCode);
        using var stillThere = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
    }

    [Fact]
    public async Task NorrbottenAdmin_SeesNoVasterbottenEmail_AndCannotSendItNow()
    {
        var vasterbotten = await RecordEmailAsync("hsn.handlaggare@demo.local", OutboxState.DeadLetter);
        var norrbotten = await RecordEmailAsync(NorrbottenContributor, OutboxState.DeadLetter);
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        using var vasterbottenAdmin = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var page = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/emails?state=DeadLetter"));
        var byRecipient = await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/emails?recipient=hsn.handlaggare@demo.local"));
        var sendNow = await admin.PostAsync($"/api/v1/admin/emails/{vasterbotten}/send-now", null);
        var theirs = await ApiClient.JsonAsync(await vasterbottenAdmin.GetAsync("/api/v1/admin/emails?state=DeadLetter"));

        var ids = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(norrbotten, ids);
        Assert.DoesNotContain(vasterbotten, ids);
        Assert.Equal(0, byRecipient.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, sendNow.StatusCode);
        var theirIds = theirs.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList();
        Assert.Contains(vasterbotten, theirIds);
        Assert.DoesNotContain(norrbotten, theirIds);
    }

    [Fact]
    public async Task EmailStats_CountOnlyTheAdministratorsOrganisations()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        var before = (await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/emails/stats"))).GetProperty("Retrying").GetInt32();

        await RecordEmailAsync("pn.handlaggare@demo.local", OutboxState.Retrying);

        Assert.Equal(before, (await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/admin/emails/stats"))).GetProperty("Retrying").GetInt32());
    }

    [Fact]
    public async Task AUserWithGrantsInTwoOrganisations_IsSeenByBothAdministrators_ButOnlyASystemAdministratorResetsTheirPassword()
    {
        using var norrbotten = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        using var vasterbotten = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");
        using var system = await ApiClient.SignedInAsync(host.Factory, SystemAdmin);
        var both = await UserIdAsync(host.Factory, BothOrganisations);

        Assert.Equal(HttpStatusCode.OK, (await norrbotten.GetAsync($"/api/v1/admin/users/{both}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vasterbotten.GetAsync($"/api/v1/admin/users/{both}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await norrbotten.PutAsJsonAsync($"/api/v1/admin/users/{both}", new { password = "ett-nytt-losenord-2026" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vasterbotten.PutAsJsonAsync($"/api/v1/admin/users/{both}", new { lockedOut = true })).StatusCode);
        // Each administrator still manages the roles in their own organisation.
        var grant = await norrbotten.PostAsJsonAsync($"/api/v1/admin/users/{both}/grants", new { organisationId = Norrbotten, bodyId = "PN", role = "contributor" });
        Assert.Equal(HttpStatusCode.Created, grant.StatusCode);
        var foreign = await norrbotten.DeleteAsync($"/api/v1/admin/users/{both}/grants?organisationId={Vasterbotten}&bodyId=HSN&role=contributor");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        var reset = await system.PutAsJsonAsync($"/api/v1/admin/users/{both}", new { password = "ett-nytt-losenord-2026" });

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        using var signedIn = await ApiClient.SignedInAsync(host.Factory, BothOrganisations, "ett-nytt-losenord-2026");
    }

    [Fact]
    public async Task SystemAdministrator_ListsTheUsersOfEveryOrganisation()
    {
        using var system = await ApiClient.SignedInAsync(host.Factory, SystemAdmin);

        var emails = (await ApiClient.JsonAsync(await system.GetAsync("/api/v1/admin/users"))).EnumerateArray().Select(u => u.GetProperty("email").GetString()).ToList();

        Assert.Contains("admin@demo.local", emails);
        Assert.Contains(NorrbottenAdmin, emails);
    }

    [Theory]
    [InlineData(SystemAdmin, "*")]
    [InlineData(SystemAdmin, Norrbotten)]
    [InlineData(NorrbottenAdmin, Norrbotten)]
    public async Task TheApi_NeverGrantsSystemAdministrator(string email, string organisationId)
    {
        using var client = await ApiClient.SignedInAsync(host.Factory, email);
        var target = await UserIdAsync(host.Factory, NorrbottenContributor);

        var response = await client.PostAsJsonAsync($"/api/v1/admin/users/{target}/grants", new { organisationId, role = "system-administrator" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var me = await ApiClient.JsonAsync(await (await ApiClient.SignedInAsync(host.Factory, NorrbottenContributor)).GetAsync("/api/v1/me"));
        Assert.DoesNotContain(me.GetProperty("grants").EnumerateArray(), g => g.GetProperty("role").GetString() == "system-administrator");
    }

    [Fact]
    public async Task AUserCreatedByTheNorrbottenAdmin_BelongsToNorrbotten_AndIsInvisibleInVasterbotten()
    {
        using var norrbotten = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);
        using var vasterbotten = await ApiClient.SignedInAsync(host.Factory, "admin@demo.local");

        var created = await norrbotten.PostAsJsonAsync("/api/v1/admin/users", new { email = "ny.nb@test.local", displayName = "Ny i Norrbotten", language = "sv", password = "ett-langt-losenord" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var user = await ApiClient.JsonAsync(created);
        var id = user.GetProperty("id").GetString();

        var grant = Assert.Single(user.GetProperty("grants").EnumerateArray());
        Assert.Equal(Norrbotten, grant.GetProperty("organisationId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await vasterbotten.GetAsync($"/api/v1/admin/users/{id}")).StatusCode);
        var intoVasterbotten = await norrbotten.PostAsJsonAsync("/api/v1/admin/users", new { email = "ny.vb@test.local", displayName = "Ny", organisationId = Vasterbotten, password = "ett-langt-losenord" });
        Assert.Equal(HttpStatusCode.Forbidden, intoVasterbotten.StatusCode);
    }

    [Theory]
    [InlineData("admin@demo.local", HttpStatusCode.Forbidden)]
    [InlineData(NorrbottenAdmin, HttpStatusCode.Forbidden)]
    [InlineData("processagare@demo.local", HttpStatusCode.Forbidden)]
    [InlineData(SystemAdmin, HttpStatusCode.OK)]
    public async Task HangfireDashboard_SpansEveryOrganisation_SoOnlyASystemAdministratorOpensIt(string email, HttpStatusCode expected)
    {
        using var client = await CookieClientAsync(email);

        Assert.Equal(expected, (await client.GetAsync("/ops/hangfire/recurring")).StatusCode);
    }

    [Fact]
    public async Task NorrbottenAdmin_CannotReachVasterbottensBodyCalendars_MeetingsOrArshjul()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/api/v1/bodies/{Vasterbotten}/HSN/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/organisations/{Vasterbotten}/meetings/2027")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/arshjul/{Vasterbotten}/2026.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/bodies/{Norrbotten}/RUN/calendar")).StatusCode);
    }

    [Fact]
    public async Task Workflows_ListAndPreviewOnlyTheCallersOrganisations()
    {
        using var admin = await ApiClient.SignedInAsync(host.Factory, NorrbottenAdmin);

        var ids = (await ApiClient.JsonAsync(await admin.GetAsync("/api/v1/workflows"))).EnumerateArray().Select(w => w.GetProperty("id").GetString()).ToList();

        Assert.Equal([Norrbotten], ids);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/workflows/{Vasterbotten}/preview?year=2027")).StatusCode);
    }

    [Fact]
    public async Task AdminPages_RenderOnlyTheAdministratorsOrganisation_OnTheServer()
    {
        using var client = await CookieClientAsync(NorrbottenAdmin);

        var users = await client.GetStringAsync("/admin/anvandare");
        var definitions = await client.GetStringAsync("/admin/definitioner");

        Assert.Contains(NorrbottenContributor, users, StringComparison.Ordinal);
        Assert.DoesNotContain("hsn.handlaggare@demo.local", users, StringComparison.Ordinal);
        Assert.DoesNotContain("admin@demo.local", users, StringComparison.Ordinal);
        Assert.Contains("region-norrbotten.json", definitions, StringComparison.Ordinal);
        Assert.DoesNotContain("region-vasterbotten.json", definitions, StringComparison.Ordinal);
    }

    private async Task<HttpClient> CookieClientAsync(string email)
    {
        var client = host.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsJsonAsync("/api/v1/auth/login?useCookies=true", new { email, password = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    private static async Task<Guid> CycleOfVasterbottenAsync(HttpClient owner)
    {
        var cycles = (await ApiClient.JsonAsync(await owner.GetAsync($"/api/v1/cycles?organisationId={Vasterbotten}"))).EnumerateArray().ToList();
        if (cycles.Count > 0)
        {
            return cycles[0].GetProperty("id").GetGuid();
        }

        var started = await owner.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Vasterbotten, workflowId = Vasterbotten, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        return (await ApiClient.JsonAsync(started)).GetProperty("id").GetGuid();
    }

    private async Task<Guid> RecordEmailAsync(string recipient, OutboxState state)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var user = await db.Users.SingleAsync(u => u.NormalizedEmail == recipient.ToUpperInvariant());
        var row = new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = EmailKind.WeeklyDigest,
            RecipientUserId = user.Id,
            DedupKey = "boundary:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = DateTime.UtcNow,
            State = state,
            Attempts = 1,
            FirstAttemptAtUtc = DateTime.UtcNow.AddDays(-3),
            NextAttemptAtUtc = DateTime.UtcNow.AddDays(1),
            LastStatusCode = 550,
            LastError = "refused earlier",
            PayloadJson = "{}",
        };
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }
}
