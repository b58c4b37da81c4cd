using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Identity;
using AnnualCycle.Data.People;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>The engine's endpoints on the real host (SQLite, in-memory Hangfire), signed in with a test scheme.</summary>
[Collection(HostCollection.Name)]
public sealed class CycleApiTests
{
    private const string Org = FakeCyclePlanner.OrganisationId;

    [Fact]
    public async Task Api_StartsACycle_ListsIt_SubmitsAStep_AndExportsTheJournal_AndRefusesWhatIsNotAllowed()
    {
        await using var factory = EngineApiFactory.Create();
        using var anonymous = factory.CreateClient();
        await SeedAsync(factory);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cycles")).StatusCode);

        using var po = Client(factory, "po");
        using var admin = Client(factory, "admin");
        using var es = Client(factory, "es");
        using var run = Client(factory, "run");

        var body = new { organisationId = Org, workflowId = FakeCyclePlanner.WorkflowId, year = 2027 };
        var forbidden = await admin.PostAsJsonAsync("/api/v1/cycles", body);
        Assert.True(forbidden.StatusCode == HttpStatusCode.Forbidden, await forbidden.Content.ReadAsStringAsync());
        var badYear = await po.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = FakeCyclePlanner.WorkflowId, year = 1900 });
        Assert.Equal(HttpStatusCode.BadRequest, badYear.StatusCode);
        Assert.Equal("year", await FieldAsync(badYear));

        var created = await po.PostAsJsonAsync("/api/v1/cycles", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cycleId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Conflict, (await po.PostAsJsonAsync("/api/v1/cycles", body)).StatusCode);

        var cycles = await po.GetFromJsonAsync<JsonElement>("/api/v1/cycles");
        Assert.Equal(1, cycles.GetArrayLength());
        var detail = await po.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}");
        Assert.Equal(10, detail.GetProperty("cycle").GetProperty("progress").GetProperty("total").GetInt32());
        var steps = await po.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}/steps");
        Assert.Equal(10, steps.GetArrayLength());

        // The cycle started late (the host's clock is today's): the first step is open and waits for ekonomistaben.
        var tasks = await es.GetFromJsonAsync<JsonElement>("/api/v1/me/tasks");
        var task = tasks.EnumerateArray().Single();
        Assert.Equal("submit", task.GetProperty("action").GetString());
        var stepId = task.GetProperty("step").GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.Forbidden, (await run.PostAsJsonAsync($"/api/v1/steps/{stepId}/submit", new { comment = "inte min" })).StatusCode);
        var submitted = await es.PostAsJsonAsync($"/api/v1/steps/{stepId}/submit", new { deliverableLink = "https://docs.test/pf", comment = "klar, \"slutlig\"" });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal("Completed", (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await es.PostAsJsonAsync($"/api/v1/steps/{stepId}/submit", new { })).StatusCode);

        var noReason = await po.PostAsJsonAsync($"/api/v1/steps/{stepId}/skip", new { });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason", await FieldAsync(noReason));
        var badDue = await po.PatchAsJsonAsync($"/api/v1/steps/{stepId}", new { due = "15/6" });
        Assert.Equal("due", await FieldAsync(badDue));

        var step = await po.GetFromJsonAsync<JsonElement>($"/api/v1/steps/{stepId}");
        Assert.Contains(step.GetProperty("journal").EnumerateArray(), j => j.GetProperty("action").GetString() == "Submitted");

        var csv = await po.GetAsync($"/api/v1/cycles/{cycleId}/journal?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("sequence,at_utc,actor,on_behalf_of,action,subject,from_state,to_state,comment,hash\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\"klar, \"\"slutlig\"\"\"", text, StringComparison.Ordinal);
        var json = await po.GetFromJsonAsync<JsonElement>($"/api/v1/cycles/{cycleId}/journal");
        Assert.True(json.GetArrayLength() >= 3);

        // The hosted reconciler registered the minute sweep and gave the cycle's pending timers their wake-ups.
        using var connection = factory.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == TimerJob.SweepJobId && j.Cron == TimerJob.SweepCron);
        Assert.True(factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledCount() > 0);
    }

    /// <summary>The field a 400 names: a <c>field</c> extension, or the key of a validation problem's <c>errors</c>.</summary>
    private static async Task<string?> FieldAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (problem.TryGetProperty("field", out var field))
        {
            return field.GetString();
        }

        return problem.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Single().Name : null;
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
        (string User, string? Body, string Role)[] grants = [("po", null, Roles.ProcessOwner), ("admin", null, Roles.Administrator), ("es", "ES", Roles.Contributor), ("run", "RUN", Roles.Contributor)];
        foreach (var (user, _, _) in grants)
        {
            db.Users.Add(new AppUser { Id = user, UserName = user, DisplayName = user });
        }

        await db.SaveChangesAsync();
        db.RoleGrants.AddRange(grants.Select(g => new RoleGrantEntity { Id = Guid.NewGuid(), UserId = g.User, OrganisationId = Org, BodyId = g.Body, Role = g.Role }));
        await db.SaveChangesAsync();
    }
}
