using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data.Cycles;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// <c>kill -9</c> of the web host while it starts a cycle: afterwards the cycle exists whole (every step instance of
/// the plan, timers for every step not yet resolved) or not at all, it can be started after the restart, timers that
/// came due while the host was down fire after the restart (once), and the journal verifies. The kill is timed from the
/// moment the host logs that the start began (<c>Starting cycle …</c>), plus a delay, so it lands inside the start's
/// work or just after its commit, never before the request arrived.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class CycleStartFaultTests
{
    private const string Organisation = "region-vasterbotten";
    private const string Workflow = "region-vasterbotten";
    private const int Year = 2027;

    [Theory]
    [InlineData("Sqlite", 0)]
    [InlineData("Sqlite", 40)]
    [InlineData("PostgreSql", 0)]
    [InlineData("PostgreSql", 40)]
    public async Task KilledWhileStartingACycle_LeavesAllOrNothing_AndTheCycleStartsAfterTheRestart(string provider, int killAfterMs)
    {
        await using var data = await FaultData.CreateAsync(provider);
        using var web = new WebProcess(data.Settings);
        await web.StartAsync();
        using var http = await SignedInAsync(web);
        var planned = await PlannedStepsAsync(http);

        var starting = http.PostAsJsonAsync("api/v1/cycles", new { organisationId = Organisation, workflowId = Workflow, year = Year });
        await EmailFaultTests.WaitUntilAsync(() => web.Output.Contains("Starting cycle " + Workflow, StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the start to begin", web);
        await Task.Delay(killAfterMs);
        web.Kill();
        var answered = await AnsweredAsync(starting);

        var cycles = await data.DbAsync(db => db.Cycles.AsNoTracking().ToListAsync());
        var steps = await data.DbAsync(db => db.StepInstances.AsNoTracking().Select(s => new { s.Id, s.CycleId, s.State }).ToListAsync());
        var timers = await data.DbAsync(db => db.Timers.AsNoTracking().Select(t => new { t.StepInstanceId, t.CycleId }).ToListAsync());
        if (cycles.Count == 0)
        {
            Assert.False(answered, "the start answered 201 but no cycle is stored");
            Assert.Empty(steps);
            Assert.Empty(timers);
            Assert.Equal(0, await data.DbAsync(db => db.Journal.CountAsync(j => j.Action == "CycleStarted")));
        }
        else
        {
            AssertWhole(cycles, steps.Select(s => (s.Id, s.CycleId)).ToList(), timers.Select(t => t.StepInstanceId).ToList(), planned);
        }

        await web.StartAsync();
        using var again = await SignedInAsync(web);
        if (cycles.Count == 0)
        {
            using var response = await again.PostAsJsonAsync("api/v1/cycles", new { organisationId = Organisation, workflowId = Workflow, year = Year });
            Assert.True(response.IsSuccessStatusCode, $"start after the restart: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            using var response = await again.PostAsJsonAsync("api/v1/cycles", new { organisationId = Organisation, workflowId = Workflow, year = Year });
            Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode); // it exists whole: a second start is refused
        }

        cycles = await data.DbAsync(db => db.Cycles.AsNoTracking().ToListAsync());
        var stepsAfter = await data.DbAsync(db => db.StepInstances.AsNoTracking().Select(s => new { s.Id, s.CycleId }).ToListAsync());
        var timersAfter = await data.DbAsync(db => db.Timers.AsNoTracking().Select(t => t.StepInstanceId).ToListAsync());
        AssertWhole(cycles, stepsAfter.Select(s => (s.Id, s.CycleId)).ToList(), timersAfter, planned);
        Assert.Equal(1, await data.DbAsync(db => db.Journal.CountAsync(j => j.Action == "CycleStarted")));

        // The host goes down again and, while it is down, some of the cycle's timers come due (their time moved into the
        // past, as if the downtime had lasted until then): after the restart each fires, once.
        web.Kill();
        var due = await data.DbAsync(async db =>
        {
            var ids = await db.Timers.Where(t => t.State == TimerState.Pending && t.Kind != TimerKind.Open).OrderBy(t => t.DueAtUtc).Select(t => t.Id).Take(5).ToListAsync();
            var past = DateTime.UtcNow.AddMinutes(-1);
            await db.Timers.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(u => u.SetProperty(t => t.DueAtUtc, past));
            return ids;
        });
        Assert.Equal(5, due.Count);
        await web.StartAsync();
        await EmailFaultTests.WaitUntilAsync(async () => await data.DbAsync(db =>
        {
            var cutoff = DateTime.UtcNow.AddSeconds(-10);
            return db.Timers.CountAsync(t => t.State == TimerState.Pending && t.DueAtUtc < cutoff);
        }) == 0, TimeSpan.FromSeconds(90), "the timers due while the host was down to fire", web);
        var fired = await data.DbAsync(db => db.Timers.AsNoTracking().Where(t => due.Contains(t.Id)).ToListAsync());
        Assert.All(fired, t => Assert.NotEqual(TimerState.Pending, t.State));
        web.Kill();
        await EmailFaultTests.AssertJournalCleanAsync(data);
    }

    private static void AssertWhole(List<CycleEntity> cycles, List<(Guid Id, Guid CycleId)> steps, List<Guid> timerSteps, int planned)
    {
        var cycle = Assert.Single(cycles);
        Assert.Equal(planned, steps.Count(s => s.CycleId == cycle.Id));
        Assert.All(steps, s => Assert.Equal(cycle.Id, s.CycleId));
        var withTimers = timerSteps.ToHashSet();
        Assert.True(withTimers.Count > planned / 2, $"only {withTimers.Count} of {planned} step instances have timers");
        Assert.All(timerSteps, t => Assert.Contains(steps, s => s.Id == t));
    }

    private static async Task<int> PlannedStepsAsync(HttpClient http)
    {
        using var preview = await http.GetAsync($"api/v1/workflows/{Workflow}/preview?year={Year}");
        preview.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await preview.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("steps").GetArrayLength();
    }

    private static async Task<bool> AnsweredAsync(Task<HttpResponseMessage> request)
    {
        try
        {
            using var response = await request;
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // killed before it answered
        }
    }

    private static async Task<HttpClient> SignedInAsync(WebProcess web)
    {
        var http = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var login = await http.PostAsJsonAsync("api/v1/auth/login", new { email = "processagare@demo.local", password = "Arshjul-demo-2026!" });
        login.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await login.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
        return http;
    }
}
