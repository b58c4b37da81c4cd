using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Starting cycle 2027 on 2 December 2026, when four deadlines of the test plan have passed (förutsättningar 15 April,
/// kick-off 12 May, återkoppling of HSN and RUN 5 June); the nämndplaner (15 December) and 2027's reports lie ahead.
/// </summary>
public sealed class LateStartTests : EngineTestBase
{
    private static readonly DateTimeOffset SecondOfDecember = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly string[] PassedKeys = ["forutsattningar", "kickoff", "aterkoppling/HSN", "aterkoppling/RUN"];

    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();

    [Fact]
    public async Task Check_ListsEveryStepWhoseDeadlineHasPassed_AndSavesNothing()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(SecondOfDecember);
        var po = await h.ActorAsync(ProcessOwner);

        var check = await h.HandleAsync<StartCycleHandler, StartCheckDto>(x => x.CheckAsync(po, Command()));

        Assert.Equal(PassedKeys, check.PassedSteps.Select(p => p.Key));
        Assert.All(check.PassedSteps, p => Assert.Equal("open", p.Decision));
        Assert.Equal(new DateOnly(2026, 4, 15), check.PassedSteps[0].Due);
        Assert.Equal(0, await h.DbAsync(db => db.Cycles.CountAsync()));
        Assert.Equal(0, await h.DbAsync(db => db.Journal.CountAsync(j => j.CycleId != null)));
    }

    [Fact]
    public async Task Start_MarksEveryPassedStepDone_WithOneDecision_AndOpensWhatWaitedForThem()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(SecondOfDecember);

        var started = await StartLateAsync(h, new LateStartDecisions(All: new LateStepDecision("done", Reason: "Gjort i Stratsys")));

        Assert.Equal(PassedKeys, started.PassedSteps!.Select(p => p.Key));
        foreach (var key in PassedKeys)
        {
            var step = await StepAsync(h, key);
            Assert.Equal(StepState.Completed, step.State);
            Assert.Null(step.OpenedAtUtc);
            Assert.Equal(0, await h.DbAsync(db => db.Timers.CountAsync(t => t.StepInstanceId == step.Id)));
        }

        // The nämndplan waited for återkoppling, which is done: it opens at the start, its deadline ahead.
        Assert.Equal(StepState.Opened, (await StepAsync(h, "namndplan/HSN")).State);
        var journal = await h.DbAsync(db => db.Journal.AsNoTracking().Where(j => j.Action == "MarkedDone").ToListAsync());
        Assert.Equal(4, journal.Count);
        Assert.All(journal, j =>
        {
            Assert.Equal("Planned", j.FromState);
            Assert.Equal("Completed", j.ToState);
            Assert.Equal(ProcessOwner, j.ActorUserId);
            Assert.Equal("Gjort i Stratsys", j.Comment);
        });
        var outbox = await h.DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        Assert.All(outbox, o => Assert.Equal(EmailKind.StepOpened, o.Kind));
        var passedIds = await h.DbAsync(db => db.StepInstances.Where(s => PassedKeys.Contains(s.Key)).Select(s => s.Id).ToListAsync());
        Assert.DoesNotContain(outbox, o => o.StepInstanceId is { } id && passedIds.Contains(id));
    }

    [Fact]
    public async Task Start_DecidesPerStep_DoneSkipMoveAndOpen_WithTheRestFollowingTheMove()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(SecondOfDecember);
        var namndplanBefore = StockholmTime(new DateOnly(2026, 12, 15));

        var started = await StartLateAsync(h, new LateStartDecisions(
            All: new LateStepDecision("open"),
            Steps: new Dictionary<string, LateStepDecision>
            {
                ["forutsattningar"] = new("done"),
                ["kickoff"] = new("skip", Reason: "Hölls inte i år"),
                ["aterkoppling/HSN"] = new("move", Due: new DateOnly(2026, 12, 18)),
            }));

        Assert.Equal(["done", "skip", "move", "open"], started.PassedSteps!.Select(p => p.Decision));
        Assert.Equal(StepState.Completed, (await StepAsync(h, "forutsattningar")).State);
        var kickoff = await StepAsync(h, "kickoff");
        Assert.Equal(StepState.Skipped, kickoff.State);
        Assert.Equal("Hölls inte i år", kickoff.Reason);

        var moved = await StepAsync(h, "aterkoppling/HSN");
        Assert.Equal(StepState.Opened, moved.State);
        Assert.Equal(StockholmTime(new DateOnly(2026, 12, 18)), moved.DueAtUtc);
        Assert.False(StepTransitions.IsOverdue(moved.State, moved.DueAtUtc, h.Clock.GetUtcNow().UtcDateTime));
        Assert.Contains(await h.DbAsync(db => db.Timers.Where(t => t.StepInstanceId == moved.Id).Select(t => t.Kind).ToListAsync()), k => k == TimerKind.Reminder);
        // What follows from the moved step moves with it (the cycle keeps the new date for every later re-plan).
        var namndplan = await StepAsync(h, "namndplan/HSN");
        Assert.True(namndplan.DueAtUtc > namndplanBefore, $"namndplan/HSN due {namndplan.DueAtUtc:O}");
        Assert.Contains("aterkoppling/HSN", (await h.DbAsync(db => db.Cycles.SingleAsync())).OverridesJson, StringComparison.Ordinal);

        // Left open: opened late, overdue from the start.
        var open = await StepAsync(h, "aterkoppling/RUN");
        Assert.Equal(StepState.Opened, open.State);
        Assert.True(StepTransitions.IsOverdue(open.State, open.DueAtUtc, h.Clock.GetUtcNow().UtcDateTime));
        Assert.Single(await h.DbAsync(db => db.Journal.Where(j => j.Action == "LateStartDecided").ToListAsync()),
            j => j.Comment == "4 steps past their deadline at the start: 1 done, 1 skipped, 1 moved, 1 open late");
    }

    [Theory]
    [InlineData("later", null, null, "late.all.decision")]
    [InlineData("move", null, null, "late.all.due")]
    [InlineData("move", "2026-11-30", null, "late.all.due")]
    [InlineData("skip", null, " ", "late.all.reason")]
    public async Task Start_RefusesABadDecision_NamingTheField_AndWritesNothing(string decision, string? due, string? reason, string field)
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(SecondOfDecember);
        var decisions = new LateStartDecisions(All: new LateStepDecision(decision, due is null ? null : DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), reason));

        var error = await Assert.ThrowsAsync<InputException>(() => StartLateAsync(h, decisions));

        Assert.Equal(field, error.Field);
        Assert.Equal(0, await h.DbAsync(db => db.Cycles.CountAsync()));
    }

    [Fact]
    public async Task Start_RefusesADecisionForAStepWhoseDeadlineHasNotPassed()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(SecondOfDecember);

        var error = await Assert.ThrowsAsync<InputException>(() => StartLateAsync(h, new LateStartDecisions(Steps: new Dictionary<string, LateStepDecision> { ["namndplan/HSN"] = new("done") })));

        Assert.Equal("late.steps", error.Field);
        Assert.Contains("'namndplan/HSN' is not a step whose deadline has passed (those are: forutsattningar, kickoff, aterkoppling/HSN, aterkoppling/RUN)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnTime_HasNoPassedSteps()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));

        var started = await StartLateAsync(h, null);

        Assert.Empty(started.PassedSteps!);
        Assert.Equal(0, await h.DbAsync(db => db.Journal.CountAsync(j => j.Action == "LateStartDecided")));
    }

    [Fact]
    public async Task Start_RefusesWithTheCause_WhenTheSammantradesplanNoLongerResolvesTheMovedPlan()
    {
        // The start plans twice: once as defined, once more with the moved deadlines. When the meeting calendar changes
        // in between (an import saved meanwhile), the second plan fails: that is the cycle's plan, not the request, at fault.
        await using var h = await SqliteAsync(configure: (services, _) => services.AddSingleton<ICyclePlanner>(new CalendarChangedBeforeReplan()));
        h.Clock.SetUtcNow(SecondOfDecember);

        var ex = await Assert.ThrowsAsync<PlanUnresolvableException>(() => StartLateAsync(h, new LateStartDecisions(
            All: new LateStepDecision("open"),
            Steps: new Dictionary<string, LateStepDecision> { ["aterkoppling/HSN"] = new("move", Due: new DateOnly(2026, 12, 18)) })));

        Assert.Equal(CalendarChangedBeforeReplan.Cause, ex.Cause);
        Assert.Equal(0, await h.DbAsync(db => db.Cycles.CountAsync()));
    }

    /// <summary>Plans as the fake planner does, until asked for the re-plan with moved deadlines.</summary>
    private sealed class CalendarChangedBeforeReplan : ICyclePlanner
    {
        public const string Cause = "no 1st meeting of HSN in December 2026 in the sammanträdesplan of region-test";
        private readonly FakeCyclePlanner inner = new();

        public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null) =>
            overrides is { DueDates.Count: > 0 }
                ? throw new AnnualCycle.Domain.Definitions.PlanningException(Cause, new AnnualCycle.Domain.Definitions.Json.TextPosition(1, 1))
                : inner.Plan(workflowId, year, overrides, version);
    }

    private static StartCycleCommand Command(LateStartDecisions? late = null) => new(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027, late);

    private static async Task<CycleSummaryDto> StartLateAsync(EngineHarness h, LateStartDecisions? late)
    {
        var po = await h.ActorAsync(ProcessOwner);
        return await h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x => x.HandleAsync(po, Command(late)));
    }

    private static DateTime StockholmTime(DateOnly date) => TestZone.Stockholm.DeadlineInstant(date).UtcDateTime;
}
