using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Journal;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>Twenty approvers' requests for one step at once, each in its own scope and DbContext, on PostgreSQL.</summary>
public sealed class ConcurrentApprovalTests : EngineTestBase
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("concurrency"));

    [Fact]
    public async Task TwentyParallelApprovals_ProduceOneApproval_AndNineteen409s()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        await SubmitAsync(h, step);
        var director = await h.ActorAsync(HsfDirector);
        var journalBefore = await h.DbAsync(db => db.Journal.CountAsync());

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(director, new ApproveStepCommand(step.Id, $"attempt {i}")));
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o is null);
        var failures = outcomes.Where(o => o is not null).ToList();
        Assert.Equal(19, failures.Count);
        Assert.All(failures, f => Assert.True(f is IllegalTransitionException or ConflictException, f!.ToString()));
        Assert.All(failures.OfType<IllegalTransitionException>(), f => Assert.Contains("from Completed to Approved", f.Message, StringComparison.Ordinal));

        Assert.Equal(1, await h.DbAsync(db => db.Approvals.CountAsync(a => a.StepInstanceId == step.Id && a.State == ApprovalState.Approved)));
        Assert.Equal(StepState.Completed, (await StepAsync(h, step.Key)).State);
        Assert.Equal(1, await h.DbAsync(db => db.Journal.CountAsync(j => j.StepInstanceId == step.Id && j.Action == "Approved")));
        Assert.Equal(journalBefore + 2, await h.DbAsync(db => db.Journal.CountAsync())); // Approved and Completed, nothing from the losers
        Assert.True((await h.DbAsync(db => JournalVerifier.VerifyAsync(db))).Ok);
    }

    [Fact]
    public async Task ParallelStartsOfTheSameCycle_CreateOne_AndTheOthersAnswer409()
    {
        await using var h = await CreateHarnessAsync();
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 5).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await StartAsync(h);
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.IsType<ConflictException>(o));
        Assert.Equal(1, await h.DbAsync(db => db.Cycles.CountAsync()));
        Assert.Equal(10, await h.DbAsync(db => db.StepInstances.CountAsync()));
        Assert.Equal(1, await h.DbAsync(db => db.Journal.CountAsync(j => j.Action == "CycleStarted")));
    }
}
