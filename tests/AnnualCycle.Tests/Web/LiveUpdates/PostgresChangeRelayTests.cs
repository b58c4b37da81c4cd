using System.Collections.Concurrent;
using AnnualCycle.Data;
using AnnualCycle.Data.Changes;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Web.LiveUpdates;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnualCycle.Tests.Web.LiveUpdates;

/// <summary>
/// The relay between two nodes' change notifiers on one real PostgreSQL database (two relays in one process stand
/// for two nodes; <c>TwoNodesTests</c> runs two real web processes): a change committed on one node reaches the
/// other's views, once, and a node does not hear its own change a second time.
/// </summary>
public sealed class PostgresChangeRelayTests : IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public PostgresChangeRelayTests(PostgresDatabase database) => _database = database;

    [Fact]
    public async Task AChangeOnOneNode_ReachesTheOtherNodesViews_OnceEach()
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = _database.ConnectionString };
        var (a, b) = (new CycleChangeNotifier(), new CycleChangeNotifier());
        var heardOnA = new ConcurrentQueue<Guid>();
        var heardOnB = new ConcurrentQueue<Guid>();
        a.Changed += ids => { foreach (var id in ids) heardOnA.Enqueue(id); };
        b.Changed += ids => { foreach (var id in ids) heardOnB.Enqueue(id); };
        using var relayA = new PostgresChangeRelay(a, options, NullLogger<PostgresChangeRelay>.Instance);
        using var relayB = new PostgresChangeRelay(b, options, NullLogger<PostgresChangeRelay>.Instance);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await relayA.StartAsync(stop.Token);
        await relayB.StartAsync(stop.Token);
        await Task.WhenAll(relayA.Listening, relayB.Listening).WaitAsync(stop.Token);

        var one = Guid.NewGuid();
        var many = Enumerable.Range(0, 450).Select(_ => Guid.NewGuid()).ToList(); // more than one notice's worth
        a.Publish([one]);
        a.Publish(many);
        await WaitUntilAsync(() => heardOnB.Count >= 451, stop.Token);

        var back = Guid.NewGuid();
        b.Publish([back]);
        await WaitUntilAsync(() => heardOnA.Contains(back), stop.Token);
        await Task.Delay(500); // anything doubled would have arrived by now

        Assert.Equal(new[] { one }.Concat(many).Order(), heardOnB.Where(id => id != back).Order());
        Assert.Single(heardOnB, back); // its own change, raised once, never echoed back
        Assert.Single(heardOnA, one);
        Assert.Single(heardOnA, back);
        Assert.Equal(452, heardOnA.Count); // its own 451, raised once, and the one from B

        await relayA.StopAsync(CancellationToken.None);
        await relayB.StopAsync(CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }
}
