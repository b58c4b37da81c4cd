using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Web.Api;

/// <summary>POST /api/v1/steps/{id}/reschedule-preview on the real host (SQLite, the shipped definition, a fake clock).</summary>
[Collection(HostCollection.Name)]
public sealed class ReschedulePreviewTests
{
    [Fact]
    public async Task Preview_SavesNothing_AndEqualsWhatTheRealRescheduleThenReturns()
    {
        await using var host = new ClockedHost(AnnualCycleFactory.Sqlite());
        using var po = await host.SignInAsync("processagare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var regionplan = await ClockedHost.StepAsync(po, cycleId, "regionplan");
        var stepId = regionplan.GetProperty("id").GetGuid();
        var request = new { due = "2026-11-13" };
        var before = await SnapshotAsync(host, cycleId);

        var preview = await po.PostAsJsonAsync($"/api/v1/steps/{stepId}/reschedule-preview", request);
        var afterPreview = await SnapshotAsync(host, cycleId);
        var real = await po.PatchAsJsonAsync($"/api/v1/steps/{stepId}", request);
        var afterReal = await SnapshotAsync(host, cycleId);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
        var previewed = await ApiClient.JsonAsync(preview);
        var moved = previewed.GetProperty("moved");
        // The regionplan's own due date and the nämndplaner that open after it: more than one date moves.
        Assert.Contains(moved.EnumerateArray(), m => m.GetProperty("key").GetString() == "regionplan" && m.GetProperty("field").GetString() == "due");
        Assert.Contains(moved.EnumerateArray(), m => m.GetProperty("key").GetString()!.StartsWith("namndplan/", StringComparison.Ordinal));
        Assert.Equal(before, afterPreview);
        Assert.NotEqual(before, afterReal);
        var rescheduled = await ApiClient.JsonAsync(real);
        Assert.Equal(moved.ToString(), rescheduled.GetProperty("moved").ToString());
        Assert.Equal(previewed.GetProperty("step").ToString(), rescheduled.GetProperty("step").ToString());
    }

    [Fact]
    public async Task Preview_Returns403_ForSomeoneWhoIsNotTheProcessOwner_And400_ForABadDate()
    {
        await using var host = new ClockedHost(AnnualCycleFactory.Sqlite());
        using var po = await host.SignInAsync("processagare@demo.local");
        using var contributor = await host.SignInAsync("hsn.handlaggare@demo.local");
        var cycleId = await ClockedHost.StartCycleAsync(po, 2027);
        var stepId = (await ClockedHost.StepAsync(po, cycleId, "regionplan")).GetProperty("id").GetGuid();

        var forbidden = await contributor.PostAsJsonAsync($"/api/v1/steps/{stepId}/reschedule-preview", new { due = "2026-11-13" });
        var badDate = await po.PostAsJsonAsync($"/api/v1/steps/{stepId}/reschedule-preview", new { due = "13/11" });
        var past = await po.PostAsJsonAsync($"/api/v1/steps/{stepId}/reschedule-preview", new { due = "2026-01-13" });

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ApiClient.FieldErrorAsync(badDate, "due");
        Assert.Contains("past", await ApiClient.FieldErrorAsync(past, "due"));
    }

    /// <summary>Everything a reschedule writes: the cycle's overrides and version, every step's dates and version, the timers and the journal.</summary>
    private static async Task<string> SnapshotAsync(ClockedHost host, Guid cycleId)
    {
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var cycle = await db.Cycles.AsNoTracking().SingleAsync(c => c.Id == cycleId);
        var steps = await db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).OrderBy(s => s.Key)
            .Select(s => new { s.Key, s.OpensAtUtc, s.DueAtUtc, s.State, s.Version, s.DateVersion }).ToListAsync();
        var timers = await db.Timers.AsNoTracking().Where(t => t.CycleId == cycleId).OrderBy(t => t.Id)
            .Select(t => new { t.Id, t.State, t.DueAtUtc }).ToListAsync();
        var journal = await db.Journal.AsNoTracking().CountAsync();
        var outbox = await db.OutboxMessages.AsNoTracking().CountAsync();
        return JsonSerializer.Serialize(new { cycle.OverridesJson, cycle.Version, steps, timers, journal, outbox });
    }
}
