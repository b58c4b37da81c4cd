using System.Diagnostics;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Benchmarks;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The measurements behind <c>bench</c>. Wall time comes from <see cref="Stopwatch"/>: this is a measuring tool; the
/// product code it drives keeps reading time from the injected <see cref="TimeProvider"/>.
/// </summary>
public static class Benchmarks
{
    public const double StartCycleTargetSeconds = 10;
    public const double DispatchTargetPerSecond = 200;

    /// <summary>Starts one cycle of <paramref name="steps"/> step instances (the workflow's plan copied over pretend bodies).</summary>
    public static async Task<BenchResult> StartCycleAsync(BenchEnvironment env, string workflowId, int year, int steps, CancellationToken ct)
    {
        env.Wakeups.Reset();
        await using var scope = env.Services.CreateAsyncScope();
        var planner = new ScaledCyclePlanner(scope.ServiceProvider.GetRequiredService<ICyclePlanner>(), steps);
        var organisationId = planner.Plan(workflowId, year).OrganisationId; // also warms the planner and the catalog
        // The scaled plan for this run only: the handler gets it as its planner, everything else from the scope.
        var handler = ActivatorUtilities.CreateInstance<StartCycleHandler>(scope.ServiceProvider, planner);

        Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var cycle = await handler.HandleAsync(env.ProcessOwner(organisationId), new StartCycleCommand(organisationId, workflowId, year), ct);
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = PeakWorkingSet();

        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var instances = await db.StepInstances.CountAsync(s => s.CycleId == cycle.Id, ct);
        var timers = await db.Timers.CountAsync(t => t.CycleId == cycle.Id, ct);
        var jobs = env.Wakeups.Scheduled;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        return new BenchResult("start-cycle",
        [
            new("steps", "step instances", instances, "", $"= {steps}", instances == steps),
            new("timers", "timers written", timers, ""),
            new("jobs", "Hangfire jobs scheduled", jobs, "", $"<= {TimerScheduler.Horizon} (horizon), < timers", jobs <= TimerScheduler.Horizon && jobs < Math.Max(timers, 1)),
            new("wallSeconds", "wall time", Math.Round(seconds, 3), "s", $"< {StartCycleTargetSeconds:0} s", seconds < StartCycleTargetSeconds),
            new("stepsPerSecond", "step instances per second", Math.Round(instances / Math.Max(seconds, 1e-9), 1), "/s"),
            new("allocatedMegabytes", "managed bytes allocated", Math.Round(allocated / 1048576.0, 1), "MB"),
            new("peakWorkingSetMegabytes", "peak working set (process)", Math.Round(peak / 1048576.0, 1), "MB"),
        ]);
    }

    /// <summary>Records <paramref name="messages"/> outbox rows for the bench users and runs the dispatcher until none is due.</summary>
    public static async Task<BenchResult> DispatchAsync(BenchEnvironment env, string workflowId, int year, int messages, CancellationToken ct)
    {
        await using (var setup = env.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            if (!await db.StepInstances.AnyAsync(ct))
            {
                var planner = setup.ServiceProvider.GetRequiredService<ICyclePlanner>();
                var organisationId = planner.Plan(workflowId, year).OrganisationId;
                await setup.ServiceProvider.GetRequiredService<StartCycleHandler>()
                    .HandleAsync(env.ProcessOwner(organisationId), new StartCycleCommand(organisationId, workflowId, year), ct);
            }

            var steps = await db.StepInstances.AsNoTracking().OrderBy(s => s.Key).Select(s => new { s.Id, s.CycleId }).Take(500).ToListAsync(ct);
            var recipients = BenchEnvironment.RecipientIds().ToList();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var run = Guid.NewGuid().ToString("N");
            db.OutboxMessages.AddRange(Enumerable.Range(0, messages).Select(i => new OutboxMessageEntity
            {
                Id = Guid.NewGuid(),
                Kind = OutboxKind.StepOpened,
                RecipientUserId = recipients[i % recipients.Count],
                CycleId = steps[i % steps.Count].CycleId,
                StepInstanceId = steps[i % steps.Count].Id,
                DedupKey = $"bench:{run}:{i}",
                CreatedAtUtc = now,
                State = OutboxState.Pending,
            }));
            await db.SaveChangesAsync(ct);
        }

        var batchesBefore = env.Transport.Batches;
        var connectionsBefore = env.Transport.Connections;
        var sendingBefore = env.Transport.Sending;
        await using var scope = env.Services.CreateAsyncScope();
        var dispatcher = scope.ServiceProvider.GetRequiredService<OutboxDispatcher>();
        Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stopwatch = Stopwatch.StartNew();
        var summary = await dispatcher.RunAsync(ct);
        stopwatch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var peak = PeakWorkingSet();

        var batches = env.Transport.Batches - batchesBefore;
        var expectedBatches = (messages + OutboxDispatcher.BatchSize - 1) / OutboxDispatcher.BatchSize;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var perSecond = summary.Sent / Math.Max(seconds, 1e-9);
        var measurements = new List<Measurement>
        {
            new("messages", "outbox rows recorded", messages, ""),
            new("sent", "messages sent", summary.Sent, "", $"= {messages}", summary.Sent == messages),
            new("batches", "batches", batches, "", $"= {expectedBatches} ({OutboxDispatcher.BatchSize} per batch)", batches == expectedBatches),
        };
        if (env.UsesSmtp)
        {
            var connections = env.Transport.Connections - connectionsBefore;
            measurements.Add(new("smtpConnections", "SMTP connections opened", connections, "", "= batches (one per batch)", connections == batches));
        }

        measurements.AddRange(
        [
            new("wallSeconds", "wall time", Math.Round(seconds, 3), "s"),
            new("transportSeconds", "of which in the transport", Math.Round((env.Transport.Sending - sendingBefore).TotalSeconds, 3), "s"),
            new("messagesPerSecond", "messages per second", Math.Round(perSecond, 1), "/s", $">= {DispatchTargetPerSecond:0}/s", perSecond >= DispatchTargetPerSecond),
            new("allocatedBytesPerMessage", "managed bytes allocated per message", Math.Round(allocated / (double)Math.Max(summary.Sent, 1)), "B"),
            new("peakWorkingSetMegabytes", "peak working set (process)", Math.Round(peak / 1048576.0, 1), "MB"),
        ]);
        return new BenchResult("dispatch", measurements);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
