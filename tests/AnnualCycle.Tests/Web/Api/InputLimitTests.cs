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

namespace AnnualCycle.Tests.Web.Api;

/// <summary>
/// Every endpoint that takes free text (a step's comment or reason) refuses more than 4,000 characters with a 400 naming
/// the field, on the real host, and stores nothing: the step, its journal and its outbox stay as they were. A
/// 5,000,000-character reason (the attack of issue 11) gets the same answer.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class InputLimitTests
{
    private const string Org = FakeCyclePlanner.OrganisationId;

    [Fact]
    public async Task CommentsAndReasons_Over4000Characters_Are400NamingTheField_AndChangeNothing()
    {
        await using var factory = new EngineApiFactory();
        await SeedAsync(factory);
        using var po = Client(factory, "po");
        using var es = Client(factory, "es");
        var created = await po.PostAsJsonAsync("/api/v1/cycles", new { organisationId = Org, workflowId = FakeCyclePlanner.WorkflowId, year = 2027 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stepId = (await es.GetFromJsonAsync<JsonElement>("/api/v1/me/tasks")).EnumerateArray().Single().GetProperty("step").GetProperty("id").GetGuid();
        var before = await SnapshotAsync(factory);
        var tooLong = new string('ö', 4001);

        (HttpClient Client, string Path, object Body, string Field)[] requests =
        [
            (es, "submit", new { deliverableLink = "https://docs.test/pf", comment = tooLong }, "comment"),
            (es, "confirm", new { comment = tooLong }, "comment"),
            (po, "approve", new { comment = tooLong }, "comment"),
            (po, "return", new { comment = tooLong }, "comment"),
            (po, "skip", new { reason = tooLong }, "reason"),
            (po, "cancel", new { reason = tooLong }, "reason"),
            (po, "skip", new { reason = new string('x', 5_000_000) }, "reason"),
        ];
        foreach (var (client, path, body, field) in requests)
        {
            var response = await client.PostAsJsonAsync($"/api/v1/steps/{stepId}/{path}", body);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("must be at most 4000 characters", await ApiClient.FieldErrorAsync(response, field));
        }

        Assert.Equal(before, await SnapshotAsync(factory));

        // At the limit it is taken, and kept whole.
        var atLimit = new string('ö', 4000);
        Assert.Equal(HttpStatusCode.OK, (await es.PostAsJsonAsync($"/api/v1/steps/{stepId}/submit", new { deliverableLink = "https://docs.test/pf", comment = atLimit })).StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        Assert.Equal(atLimit, await db.Journal.Where(j => j.StepInstanceId == stepId && j.Action == "Submitted").Select(j => j.Comment).SingleAsync());
    }

    private sealed record Snapshot(string States, int Journal, int Outbox);

    private static async Task<Snapshot> SnapshotAsync(EngineApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var states = await db.StepInstances.AsNoTracking().OrderBy(s => s.Key).Select(s => s.Key + "=" + s.State + "@" + s.Version).ToListAsync();
        return new Snapshot(string.Join(' ', states), await db.Journal.CountAsync(), await db.OutboxMessages.CountAsync());
    }

    private static HttpClient Client(EngineApiFactory factory, string user)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(EngineApiFactory.UserHeader, user);
        return client;
    }

    private static async Task SeedAsync(EngineApiFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        (string User, string? Body, string Role)[] grants = [("po", null, Roles.ProcessOwner), ("es", "ES", Roles.Contributor)];
        foreach (var (user, _, _) in grants)
        {
            db.Users.Add(new AppUser { Id = user, UserName = user, DisplayName = user });
        }

        await db.SaveChangesAsync();
        db.RoleGrants.AddRange(grants.Select(g => new RoleGrantEntity { Id = Guid.NewGuid(), UserId = g.User, OrganisationId = Org, BodyId = g.Body, Role = g.Role }));
        await db.SaveChangesAsync();
    }
}
