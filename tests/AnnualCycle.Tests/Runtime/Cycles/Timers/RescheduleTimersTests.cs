using System.Globalization;
using System.Text.Json;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles.Timers;

/// <summary>
/// What a reschedule does to the timer table and to concurrent reschedules (issue 12): the superseded timers go, so
/// the table holds what is live plus what fired; and moving two different steps at once never reports a conflict,
/// on PostgreSQL as on SQLite, nor loses either move.
/// </summary>
public abstract class RescheduleTimersTests : EngineTestBase
{
    [Fact]
    public async Task Reschedule_ManyTimes_LeavesOnlyTheLiveTimers_NoPileOfCancelledRows()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var before = await h.DbAsync(db => db.Timers.CountAsync());
        var step = await StepAsync(h, "aterkoppling/HSN");
        var po = await h.ActorAsync(ProcessOwner);

        for (var i = 0; i < 40; i++)
        {
            var due = new DateOnly(2026, 6, 8).AddDays(i % 7);
            await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, due, null)));
        }

        // Nothing fired meanwhile (the clock stands still in January), so every row is a live timer of today's plan.
        Assert.Equal(before, await h.DbAsync(db => db.Timers.CountAsync()));
        Assert.Equal(0, await h.DbAsync(db => db.Timers.CountAsync(t => t.State != TimerState.Pending)));
        var moved = await StepAsync(h, "namndplan/HSN");
        var live = await h.DbAsync(db => db.Timers.AsNoTracking().Where(t => t.StepInstanceId == moved.Id).ToListAsync());
        Assert.All(live.Where(t => t.Kind == TimerKind.Overdue), t => Assert.True(t.DueAtUtc > moved.DueAtUtc, "the overdue notice follows the moved deadline"));
    }

    [Fact]
    public async Task Reschedule_OfDifferentSteps_InParallel_NeverConflicts_AndKeepsEveryMove()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var po = await h.ActorAsync(ProcessOwner);
        string[] keys = ["aterkoppling/HSN", "aterkoppling/RUN", "manadsrapport#1/HSN", "manadsrapport#2/RUN"];
        var steps = new List<StepInstanceEntity>();
        foreach (var key in keys)
        {
            steps.Add(await StepAsync(h, key));
        }

        const int perThread = 15;
        var conflicts = new List<string>();
        var last = new DateOnly[keys.Length];
        await Task.WhenAll(steps.Select((step, n) => Task.Run(async () =>
        {
            var baseDate = DateOnly.FromDateTime(step.DueAtUtc);
            for (var i = 0; i < perThread; i++)
            {
                var due = baseDate.AddDays(1 + (i % 5));
                try
                {
                    await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, due, null)));
                    last[n] = due;
                }
                catch (Exception ex)
                {
                    lock (conflicts)
                    {
                        conflicts.Add($"{step.Key}: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        })));

        Assert.Empty(conflicts);
        var cycle = await h.DbAsync(db => db.Cycles.AsNoTracking().SingleAsync());
        for (var n = 0; n < keys.Length; n++)
        {
            // No lost update: each step ends where its last move put it, and the cycle's overrides name every one.
            var step = await StepAsync(h, keys[n]);
            Assert.Equal(last[n], TestZone.Stockholm.LocalDate(new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero)));
            using var overrides = JsonDocument.Parse(cycle.OverridesJson);
            Assert.Equal(last[n].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), overrides.RootElement.GetProperty("Due").GetProperty(keys[n]).GetString());
        }

        Assert.Equal(0, await VerifyJournalAsync(h));
    }

    private static Task<int> VerifyJournalAsync(EngineHarness h) =>
        AnnualCycle.Runtime.Cycles.Journal.VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null);
}

public sealed class RescheduleTimersSqliteTests : RescheduleTimersTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class RescheduleTimersPostgreSqlTests : RescheduleTimersTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("reschedule"));
}
