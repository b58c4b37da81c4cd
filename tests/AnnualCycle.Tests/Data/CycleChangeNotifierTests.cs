using System.Collections.Concurrent;
using AnnualCycle.Data.Changes;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Runtime.Cycles;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Data;

/// <summary>Live views hear of every committed change to a cycle, and of nothing that rolled back.</summary>
public abstract class CycleChangeNotifierTests : EngineTestBase
{
    [Fact]
    public async Task CommittedCommands_AnnounceTheirCycle_AfterCommit_AndAFailedCommandAnnouncesNothing()
    {
        await using var h = await CreateHarnessAsync();
        var notifier = h.Services.GetRequiredService<CycleChangeNotifier>();
        var heard = new ConcurrentQueue<Guid>();
        notifier.Changed += ids =>
        {
            foreach (var id in ids)
            {
                heard.Enqueue(id);
            }
        };

        var cycle = await StartAsync(h);
        Assert.Contains(cycle.Id, heard);

        heard.Clear();
        var po = await h.ActorAsync(ProcessOwner);
        await Assert.ThrowsAsync<ConflictException>(() =>
            h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x => x.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027))));
        Assert.Empty(heard);

        var first = (await h.DbAsync(db => Task.FromResult(db.StepInstances.Where(s => s.CycleId == cycle.Id && s.Kind == AnnualCycle.Domain.Planning.StepKind.Task).OrderBy(s => s.OpensAtUtc).First())));
        await AdvanceToAsync(h, new DateTimeOffset(first.OpensAtUtc, TimeSpan.Zero).AddMinutes(1));
        Assert.Contains(cycle.Id, heard); // the timer that opened it is a change too

        heard.Clear();
        var step = await StepAsync(h, first.Key);
        Assert.Equal(StepState.Opened, step.State);
        await SubmitAsync(h, step);
        Assert.Equal([cycle.Id], heard.Distinct());
    }

    [Fact]
    public async Task AListenerThatThrows_NeverReachesTheWriter_AndOthersStillHear()
    {
        await using var h = await CreateHarnessAsync();
        var notifier = h.Services.GetRequiredService<CycleChangeNotifier>();
        var heard = 0;
        notifier.Changed += _ => throw new InvalidOperationException("a broken circuit");
        notifier.Changed += _ => Interlocked.Increment(ref heard);

        await StartAsync(h);

        Assert.Equal(1, heard);
    }
}

public sealed class CycleChangeNotifierSqliteTests : CycleChangeNotifierTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class CycleChangeNotifierPostgreSqlTests : CycleChangeNotifierTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("changes"));
}
