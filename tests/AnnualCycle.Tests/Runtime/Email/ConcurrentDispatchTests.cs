using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>Several dispatchers at once on PostgreSQL, as several instances of the service would run them.</summary>
public sealed class ConcurrentDispatchTests : EmailTestBase
{
    [Fact]
    public async Task FourDispatchersAtOnce_NeverSendARowTwice_AndSendEveryRow()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await PostgreSqlWithEmailAsync(server, "dispatch");
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 600, EsContributor);

        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            var total = DispatchSummary.Empty;
            // DispatchBatchAsync directly: the run lease would otherwise let only one of them work.
            while (true)
            {
                var batch = await h.InScopeAsync(sp => sp.GetRequiredService<OutboxDispatcher>().DispatchBatchAsync());
                total += batch;
                if (batch.Claimed == 0)
                {
                    return total;
                }
            }
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(workers);

        Assert.Equal(600, results.Sum(r => r.Sent));
        Assert.Equal(600, results.Sum(r => r.Claimed));
        var received = server.WaitForMessages(600);
        Assert.Equal(600, received.Count);
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), received.Select(m => m.MessageId).Order());
        Assert.All(await OutboxAsync(h), r =>
        {
            Assert.Equal(OutboxState.Sent, r.State);
            Assert.Equal(1, r.Attempts);
        });
    }

    [Fact]
    public async Task TwoRunsAtOnce_OnlyOneHoldsTheLease()
    {
        await using var h = await PostgreSqlWithEmailAsync(null, "lease");
        var leases = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            h.InScopeAsync(sp => sp.GetRequiredService<JobLease>().TryAcquireAsync(OutboxDispatcher.LeaseName, "holder-" + i, TimeSpan.FromMinutes(5))))).ToList();

        var taken = await Task.WhenAll(leases);

        Assert.Equal(1, taken.Count(t => t));
    }
}
