using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Demo;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Faults;

/// <summary>
/// kill -9 of the web process during a burst of reschedules (issue 12), with timers coming due meanwhile: after a restart
/// no timer is lost (every moved step has the timers of the dates it ended with, none twice), every timer that came due
/// fired exactly once, and the journal verifies.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RescheduleFaultTests
{
    private const int NearTimers = 40;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task KilledDuringARescheduleBurst_NoTimerLost_NoneFiredTwice_JournalClean(string provider)
    {
        await using var data = await FaultData.CreateAsync(provider);
        using var web = new WebProcess(data.Settings);
        await web.StartAsync();
        using var http = new HttpClient { BaseAddress = web.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "processagare@demo.local", password = DemoUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        var started = await http.PostAsJsonAsync("/api/v1/cycles", new { organisationId = "region-vasterbotten", workflowId = "region-vasterbotten", year = DateTime.UtcNow.Year + 1 });
        Assert.True(started.StatusCode == HttpStatusCode.Created, await started.Content.ReadAsStringAsync());

        // Reschedule targets: planned steps nothing depends on (so moving them moves nobody else). Timers coming due during
        // the burst: reminders on open steps that are not among them.
        var steps = await data.DbAsync(db => db.StepInstances.AsNoTracking().ToListAsync());
        var dependedOn = steps.SelectMany(s => s.DependsOnKeys()).ToHashSet(StringComparer.Ordinal);
        var now = DateTime.UtcNow;
        var targets = steps.Where(s => s.State == StepState.Planned && !dependedOn.Contains(s.Key) && s.DependsOnKeys().Count == 0 && s.DueAtUtc > now.AddDays(30))
            .OrderBy(s => s.Key, StringComparer.Ordinal).Take(4).ToList();
        string[] withContributors = ["HSN", "RUN", "FHS", "PN", "EKO", "RS"]; // bodies whose demo users get the reminders
        var open = steps.Where(s => s.State == StepState.Opened && s.DueAtUtc > now.AddDays(1) && withContributors.Contains(s.BodyId)).Take(4).ToList();
        Assert.True(targets.Count == 4 && open.Count > 0, $"{targets.Count} targets, {open.Count} open steps");

        var since = DateTime.UtcNow;
        var near = await data.DbAsync(async db =>
        {
            var first = DateTime.UtcNow.AddSeconds(3);
            var rows = Enumerable.Range(0, NearTimers).Select(i => new TimerEntity
            {
                Id = Guid.NewGuid(), CycleId = open[i % open.Count].CycleId, StepInstanceId = open[i % open.Count].Id, Kind = TimerKind.Reminder,
                Sequence = 100 + i, DueAtUtc = new DateTime(first.Ticks - first.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc).AddMilliseconds(i * 250), State = TimerState.Pending,
            }).ToList();
            db.Timers.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.Select(r => r.Id).ToList();
        });

        // The burst: each target moved again and again by its own client (the wake-ups of the near timers are scheduled by
        // the first reschedules); killed in the middle.
        var requested = targets.ToDictionary(t => t.Id, _ => new List<DateOnly>());
        var succeeded = 0;
        using var stop = new CancellationTokenSource();
        var burst = targets.Select(target => Task.Run(async () =>
        {
            var baseDate = DateOnly.FromDateTime(target.DueAtUtc);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var due = baseDate.AddDays(1 + i % 9);
                lock (requested)
                {
                    requested[target.Id].Add(due);
                }

                try
                {
                    var response = await http.PatchAsJsonAsync($"/api/v1/steps/{target.Id}", new { due = due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    return; // the process is gone
                }
            }
        })).ToList();

        var watch = Stopwatch.StartNew();
        while (Volatile.Read(ref succeeded) < 40 && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }

        web.Kill();
        stop.Cancel();
        await Task.WhenAll(burst);
        Assert.True(succeeded >= 40, $"only {succeeded} reschedules before the kill");

        await web.StartAsync();
        await EmailFaultTests.WaitUntilAsync(async () => await data.DbAsync(db => db.Timers.CountAsync(t => near.Contains(t.Id) && t.State == TimerState.Fired)) == NearTimers,
            TimeSpan.FromSeconds(120), "every near timer fired after the restart", web);
        web.Kill();

        // Every timer that came due fired once: one journal entry per firing, and the outbox rows of each.
        var openIds = open.Select(s => s.Id).ToList();
        var firedSince = await data.DbAsync(db => db.Timers.CountAsync(t => openIds.Contains(t.StepInstanceId) && t.Kind == TimerKind.Reminder && t.FiredAtUtc >= since));
        var journalled = await data.DbAsync(db => db.Journal.CountAsync(j => j.StepInstanceId != null && openIds.Contains(j.StepInstanceId.Value) && (j.Action == "Reminder" || j.Action == "DueToday") && j.AtUtc >= since));
        Assert.Equal(firedSince, journalled);
        var keys = await data.DbAsync(db => db.OutboxMessages.Where(o => o.DedupKey.StartsWith("reminder:")).Select(o => o.DedupKey).ToListAsync());
        Assert.All(near, id => Assert.Contains(keys, k => k.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)));

        // No timer lost: each target ends on one of the dates asked for, with the timers of that date, none twice.
        foreach (var target in targets)
        {
            var step = await data.DbAsync(db => db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == target.Id));
            var pending = await data.DbAsync(db => db.Timers.AsNoTracking().Where(t => t.StepInstanceId == target.Id && t.State == TimerState.Pending).ToListAsync());
            Assert.True(step.DueAtUtc == target.DueAtUtc || requested[target.Id].Any(d => d == DateOnly.FromDateTime(step.DueAtUtc) || d == DateOnly.FromDateTime(step.DueAtUtc.AddHours(2))),
                $"{step.Key} ended due {step.DueAtUtc:O}, never asked for");
            Assert.NotEmpty(pending);
            Assert.Equal(pending.Count, pending.Select(t => (t.Kind, t.Sequence)).Distinct().Count());
            Assert.All(pending.Where(t => t.Kind is TimerKind.Overdue or TimerKind.Escalation), t => Assert.True(t.DueAtUtc > step.DueAtUtc, $"{step.Key}: {t.Kind} at {t.DueAtUtc:O} is not after the deadline {step.DueAtUtc:O}"));
            Assert.All(pending.Where(t => t.Kind == TimerKind.Reminder), t => Assert.True(t.DueAtUtc <= step.DueAtUtc, $"{step.Key}: reminder at {t.DueAtUtc:O} after the deadline {step.DueAtUtc:O}"));
            Assert.Contains(pending, t => t.Kind == TimerKind.Overdue);
        }

        await EmailFaultTests.AssertJournalCleanAsync(data);
    }
}
