using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Cycles.Timers;

/// <summary>
/// How due timers are woken and fired (issue 13): timers due together fire as one batch in one transaction; a wake-up is
/// for the whole second a timer falls in (not the next one), and the timer still never fires before its instant; and a
/// timer fires once however often it is woken.
/// </summary>
public abstract class TimerFiringTests : EngineTestBase
{
    [Fact]
    public async Task TimersDueTogether_FireAsOneBatch_InOneTransaction_AndOnlyOnce()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        // The first reminder of the February månadsrapport, due at the same 08:00 for HSN and RUN; both steps are open by then.
        var steps = new[] { await StepAsync(h, "manadsrapport#1/HSN"), await StepAsync(h, "manadsrapport#1/RUN") };
        var instant = await h.DbAsync(db => db.Timers.Where(t => t.StepInstanceId == steps[0].Id && t.Kind == TimerKind.Reminder).MinAsync(t => t.DueAtUtc));
        await AdvanceToAsync(h, new DateTimeOffset(instant, TimeSpan.Zero).AddSeconds(-1));
        foreach (var step in steps)
        {
            Assert.Equal(StepState.Opened, (await StepAsync(h, step.Key)).State);
        }

        // Twenty more reminders at that instant, as when many cycles remind at the same 08:00.
        await h.DbAsync(async db =>
        {
            db.Timers.AddRange(Enumerable.Range(10, 20).Select(i => new TimerEntity
            {
                Id = Guid.NewGuid(), CycleId = steps[i % 2].CycleId, StepInstanceId = steps[i % 2].Id, Kind = TimerKind.Reminder, Sequence = i, DueAtUtc = instant, State = TimerState.Pending,
            }));
            return await db.SaveChangesAsync();
        });
        var due = await h.DbAsync(db => db.Timers.CountAsync(t => t.State == TimerState.Pending && t.DueAtUtc == instant));
        Assert.True(due >= 22, $"{due} timers due together");
        var commitsBefore = h.OutboxWakeup.Count;
        var journalBefore = await h.DbAsync(db => db.Journal.CountAsync());

        h.Clock.SetUtcNow(new DateTimeOffset(instant, TimeSpan.Zero));
        var fired = await h.RunDueAsync();

        Assert.Equal(due, fired);
        // Every reminder recorded mail, and the outbox was woken once: one commit for the whole batch.
        Assert.Equal(commitsBefore + 1, h.OutboxWakeup.Count);
        var entries = await h.DbAsync(db => db.Journal.AsNoTracking().OrderBy(j => j.Sequence).Skip(journalBefore).ToListAsync());
        Assert.Equal(22, entries.Count(e => e.Action == "Reminder"));
        Assert.Single(entries.Select(e => e.AtUtc).Distinct());
        Assert.Equal(0, await h.RunDueAsync());
        var one = await h.DbAsync(db => db.Timers.Where(t => t.DueAtUtc == instant).Select(t => t.Id).FirstAsync());
        Assert.False(await h.InScopeAsync(sp => sp.GetRequiredService<TimerDispatcher>().FireAsync(one))); // a duplicate wake-up does nothing
        Assert.Equal(0, await AnnualCycle.Runtime.Cycles.Journal.VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null));
    }

    [Fact]
    public async Task ATimerDueWithinASecond_IsWokenBeforeThatWholeSecond_AndNeverFiresBeforeItsInstant()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var step = await StepAsync(h, "aterkoppling/HSN");
        var due = new DateTime(2026, 2, 2, 7, 0, 0, 700, DateTimeKind.Utc);
        var timer = new TimerEntity { Id = Guid.NewGuid(), CycleId = step.CycleId, StepInstanceId = step.Id, Kind = TimerKind.Reminder, Sequence = 9, DueAtUtc = due, State = TimerState.Pending };
        await h.DbAsync(async db =>
        {
            db.Timers.Add(timer);
            return await db.SaveChangesAsync();
        });

        h.Clock.SetUtcNow(new DateTimeOffset(2026, 2, 2, 6, 59, 0, TimeSpan.Zero));
        await h.InScopeAsync(sp => sp.GetRequiredService<TimerScheduler>().EnsureScheduledAsync());
        // Its wake-up is the lead before 07:00:00, the start of its second; never 07:00:01 (rounding up, which made every
        // timer up to a second late). The job then waits for the timer's own instant.
        Assert.Contains(new DateTimeOffset(2026, 2, 2, 7, 0, 0, TimeSpan.Zero) - TimerScheduler.Lead, ((RecordingWakeups)h.Wakeups).Scheduled);
        Assert.DoesNotContain(new DateTimeOffset(2026, 2, 2, 7, 0, 1, TimeSpan.Zero), ((RecordingWakeups)h.Wakeups).Scheduled);
        Assert.Equal(TimerScheduler.FloorToSecond(due), await h.DbAsync(db => db.TimerWakeups.Where(w => w.Second >= TimerScheduler.FloorToSecond(due)).MinAsync(w => w.Second)));

        h.Clock.SetUtcNow(new DateTimeOffset(due.AddMilliseconds(-500), TimeSpan.Zero));
        await h.RunDueAsync();
        Assert.Equal(TimerState.Pending, (await TimerAsync(h, timer.Id)).State);
        Assert.Equal(due, await h.InScopeAsync(sp => sp.GetRequiredService<TimerDispatcher>().NextDueAsync()));

        h.Clock.SetUtcNow(new DateTimeOffset(due, TimeSpan.Zero));
        await h.RunDueAsync();
        var fired = await TimerAsync(h, timer.Id);
        Assert.Equal(TimerState.Fired, fired.State);
        Assert.True(fired.FiredAtUtc >= due, $"fired at {fired.FiredAtUtc:O}, due {due:O}");
    }

    private static Task<TimerEntity> TimerAsync(EngineHarness h, Guid id) => h.DbAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.Id == id));
}

public sealed class TimerFiringSqliteTests : TimerFiringTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class TimerFiringPostgreSqlTests : TimerFiringTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("firing"));
}
