using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>
/// Issue 15 over HTTP: the nämnd's secretary signs the återkoppling of HSN with <c>meetingDate</c> and <c>paragraph</c>
/// in the body of <c>POST …/approve</c>. Without the date, or with a date after today (4 May 2026, the host's clock), it
/// is a 400 naming <c>meetingDate</c> and nothing changes; with both it is stored and <c>GET …/steps/{id}</c> shows it.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class MeetingDecisionApiTests
{
    private const string Org = FakeCyclePlanner.OrganisationId;

    [Fact]
    public async Task NamndApproval_Is400WithoutOrBeforeItsMeeting_And200StoredAndShownWithIt()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero));
        await using var factory = EngineApiFactory.Create().WithClock(clock);
        await SeedAsync(factory);
        using var po = Client(factory, "po");
        var created = await po.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = FakeCyclePlanner.WorkflowId, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var es = Client(factory, "es");
        var forutsattningar = await TaskAsync(es, "forutsattningar");
        Ok(await es.PostAsJsonAsync($"/api/v1/steps/{forutsattningar}/submit", new { deliverableLink = "https://docs.test/pf" }));
        using var hsn = Client(factory, "hsn");
        var step = await TaskAsync(hsn, "aterkoppling/HSN");
        Ok(await hsn.PostAsJsonAsync($"/api/v1/steps/{step}/submit", new { deliverableLink = "https://docs.test/ak" }));
        using var director = Client(factory, "hsf");
        Ok(await director.PostAsJsonAsync($"/api/v1/steps/{step}/approve", new { comment = "ok" }));

        using var secretary = Client(factory, "sekr");
        var asSecretary = await secretary.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{step}");
        Assert.Equal("HSN", asSecretary.GetProperty("step").GetProperty("capabilities").GetProperty("approve").GetProperty("decisionOf").GetString());
        var before = await SnapshotAsync(factory);

        (object Body, string Field, string Problem)[] refused =
        [
            (new { comment = "beslutat" }, "meetingDate", "is required"),
            (new { comment = "beslutat", meetingDate = "2026-05-05", paragraph = "§ 45" }, "meetingDate", "cannot confirm a decision before its meeting (2026-05-05 is after today, 2026-05-04)"),
            (new { comment = "beslutat", meetingDate = "2026-05-04" }, "paragraph", "is required"),
            (new { comment = "beslutat", meetingDate = "4 maj", paragraph = "§ 45" }, "meetingDate", "must be a date, yyyy-MM-dd"),
        ];
        foreach (var (body, field, problem) in refused)
        {
            var response = await secretary.PostAsJsonAsync($"/api/v1/steps/{step}/approve", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(body)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(problem, await ApiClient.FieldErrorAsync(response, field));
        }

        Assert.Equal(before, await SnapshotAsync(factory));

        Ok(await secretary.PostAsJsonAsync($"/api/v1/steps/{step}/approve", new { comment = "beslutat", meetingDate = "2026-04-28", paragraph = "§ 45" }));
        var detail = await po.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{step}");
        Assert.Equal("Completed", detail.GetProperty("step").GetProperty("state").GetString());
        var namnd = detail.GetProperty("approvals").EnumerateArray().Single(a => a.GetProperty("role").GetString() == "namnd");
        Assert.Equal(("2026-04-28", "§ 45"), (namnd.GetProperty("meetingDate").GetString(), namnd.GetProperty("paragraph").GetString()));
        var journal = detail.GetProperty("journal").EnumerateArray().Last(j => j.GetProperty("action").GetString() == "Approved");
        Assert.Equal("Decided 2026-04-28, § 45\nbeslutat", journal.GetProperty("comment").GetString());
    }

    private static void Ok(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().Result}");

    private static async Task<Guid> TaskAsync(HttpClient client, string key) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/me/tasks")).EnumerateArray()
            .Select(t => t.GetProperty("step")).Single(s => s.GetProperty("key").GetString() == key).GetProperty("id").GetGuid();

    private static async Task<string> SnapshotAsync(AnnualCycleFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var states = await db.StepInstances.AsNoTracking().OrderBy(s => s.Key).Select(s => s.Key + "=" + s.State + "@" + s.Version).ToListAsync();
        var approvals = await db.Approvals.AsNoTracking().OrderBy(a => a.Id).Select(a => a.State + ":" + a.MeetingDate + ":" + a.Paragraph).ToListAsync();
        return $"{string.Join(' ', states)} | {string.Join(' ', approvals)} | journal {await db.Journal.CountAsync()} outbox {await db.OutboxMessages.CountAsync()}";
    }

    private static HttpClient Client(AnnualCycleFactory factory, string user)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(EngineApiFactory.UserHeader, user);
        return client;
    }

    private static async Task SeedAsync(AnnualCycleFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        (string User, string? Body, string Role)[] grants =
        [
            ("po", null, Roles.ProcessOwner), ("es", "ES", Roles.Contributor), ("hsn", "HSN", Roles.Contributor),
            ("hsf", "HSF", "forvaltningsdirektor"), ("sekr", "HSN", Roles.Committee),
        ];
        foreach (var (user, _, _) in grants)
        {
            db.Users.Add(new AppUser { Id = user, UserName = user, DisplayName = user });
        }

        await db.SaveChangesAsync();
        db.RoleGrants.AddRange(grants.Select(g => new RoleGrantEntity { Id = Guid.NewGuid(), UserId = g.User, OrganisationId = Org, BodyId = g.Body, Role = g.Role }));
        await db.SaveChangesAsync();
    }
}
