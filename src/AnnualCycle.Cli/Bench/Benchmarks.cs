using System.Diagnostics;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Runtime.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The measurements behind <c>bench</c>. Wall time comes from <see cref="Stopwatch"/>: this is a measuring tool; the
/// product code it drives keeps reading time from the injected <see cref="TimeProvider"/>.
/// </summary>
public static class Benchmarks
{
    public const double StartCycleTargetSeconds = 10;

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

    /// <summary>The email fan-out target: the outbox's rate as a share of a bare MailKit loop's to the same server.</summary>
    public const double EmailTargetRatio = 0.8;

    /// <summary>
    /// Email fan-out against its reference, alternating in the same run: each of <paramref name="rounds"/> rounds
    /// sends <c>messages / rounds</c> messages with a bare MailKit loop over one connection (the same rendered message
    /// again and again, Nagle off as in the product) and then records as many outbox rows and runs
    /// <see cref="OutboxDispatcher"/> until none is due (claiming, rendering, sending and marking each row Sent).
    /// Rates are over all rounds: messages / seconds.
    /// </summary>
    public static async Task<BenchResult> EmailAsync(BenchEnvironment env, string workflowId, int year, int messages, int rounds, string smtp, SmtpSink? sink, CancellationToken ct)
    {
        var (host, port) = SplitHostPort(smtp);
        MimeMessage sample;
        List<(Guid Id, Guid CycleId)> steps;
        await using (var setup = env.Services.CreateAsyncScope())
        {
            var db = setup.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            if (!await db.StepInstances.AnyAsync(ct))
            {
                var planner = setup.ServiceProvider.GetRequiredService<ICyclePlanner>();
                var organisationId = planner.Plan(workflowId, year).OrganisationId;
                await setup.ServiceProvider.GetRequiredService<StartCycleHandler>()
                    .HandleAsync(env.ProcessOwner(organisationId), new StartCycleCommand(organisationId, workflowId, year), ct);
                await db.OutboxMessages.Where(o => o.State == OutboxState.Pending)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Dropped), ct); // the start's own notices are not part of the measurement
            }

            steps = (await db.StepInstances.AsNoTracking().OrderBy(s => s.Key).Select(s => new { s.Id, s.CycleId }).Take(500).ToListAsync(ct))
                .Select(s => (s.Id, s.CycleId)).ToList();
            // The reference sends what the product sends: one row rendered by the product's own builder.
            var row = NewRows(steps, 1, "sample").Single();
            var prepared = await setup.ServiceProvider.GetRequiredService<OutboxEmailBuilder>().PrepareAsync([row], TimeProvider.System.GetUtcNow(), ct);
            sample = prepared[row.Id] is OutboxEmailBuilder.Ready ready
                ? ready.Message
                : throw new InvalidOperationException("The bench message could not be rendered: " + prepared[row.Id]);
        }

        var perRound = Math.Max(1, messages / rounds);
        var sinkBefore = sink?.Messages ?? 0;
        var sessionsBefore = env.Transport.Batches;
        var connectionsBefore = env.Transport.Connections;
        double productSeconds = 0, referenceSeconds = 0;
        long productSent = 0, referenceSent = 0;
        long allocated = 0;
        for (var round = 0; round < rounds; round++)
        {
            referenceSeconds += await BareMailKitLoopAsync(host, port, sample, perRound, ct);
            referenceSent += perRound;

            await using (var setup = env.Services.CreateAsyncScope())
            {
                var db = setup.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.OutboxMessages.AddRange(NewRows(steps, perRound, $"r{round}"));
                await db.SaveChangesAsync(ct);
            }

            await using var scope = env.Services.CreateAsyncScope();
            var dispatcher = scope.ServiceProvider.GetRequiredService<OutboxDispatcher>();
            Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            var summary = await dispatcher.RunAsync(ct);
            stopwatch.Stop();
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            productSeconds += stopwatch.Elapsed.TotalSeconds;
            productSent += summary.Sent;
        }

        var product = productSent / Math.Max(productSeconds, 1e-9);
        var reference = referenceSent / Math.Max(referenceSeconds, 1e-9);
        var expected = (long)perRound * rounds;
        var measurements = new List<Measurement>
        {
            new("messages", "messages per side", expected, "", $"{rounds} alternating rounds of {perRound:#,0}"),
            new("sent", "outbox rows sent", productSent, "", $"= {expected}", productSent == expected),
        };
        if (sink is not null)
        {
            var received = sink.Messages - sinkBefore;
            measurements.Add(new("received", "messages the sink accepted", received, "", $"= {2 * expected} (both sides)", received == 2 * expected));
        }

        var sessions = env.Transport.Batches - sessionsBefore;
        measurements.Add(new("smtpConnections", "SMTP connections opened by the product", env.Transport.Connections - connectionsBefore, "", $"= {sessions} (one per sender per run)", env.Transport.Connections - connectionsBefore == sessions));
        measurements.AddRange(Comparison.Of("/s", Math.Round(product, 1), Math.Round(reference, 1), EmailTargetRatio, "bare MailKit loop, one connection, same message"));
        measurements.Add(new("productSeconds", "product wall time (claim, render, send, mark)", Math.Round(productSeconds, 3), "s"));
        measurements.Add(new("referenceSeconds", "reference wall time", Math.Round(referenceSeconds, 3), "s"));
        measurements.Add(new("allocatedBytesPerMessage", "managed bytes allocated per message (product)", Math.Round(allocated / (double)Math.Max(productSent, 1)), "B"));
        measurements.Add(new("peakWorkingSetMegabytes", "peak working set (process)", Math.Round(PeakWorkingSet() / 1048576.0, 1), "MB"));
        return new BenchResult("email", measurements);
    }

    /// <summary>The reference: one MailKit client, one connection (Nagle off, as the product's transport), the same message <paramref name="count"/> times. Returns seconds.</summary>
    private static async Task<double> BareMailKitLoopAsync(string host, int port, MimeMessage message, int count, CancellationToken ct)
    {
        using var client = new SmtpClient();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port, ct);
        await client.ConnectAsync(socket, host, port, SecureSocketOptions.None, ct);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await client.SendAsync(message, ct);
        }

        stopwatch.Stop();
        await client.DisconnectAsync(quit: true, ct);
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static List<OutboxMessageEntity> NewRows(List<(Guid Id, Guid CycleId)> steps, int count, string tag)
    {
        var recipients = BenchEnvironment.RecipientIds().ToList();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var run = Guid.NewGuid().ToString("N");
        return Enumerable.Range(0, count).Select(i => new OutboxMessageEntity
        {
            Id = Guid.NewGuid(),
            Kind = OutboxKind.StepOpened,
            RecipientUserId = recipients[i % recipients.Count],
            CycleId = steps[i % steps.Count].CycleId,
            StepInstanceId = steps[i % steps.Count].Id,
            DedupKey = $"bench:{tag}:{run}:{i}",
            CreatedAtUtc = now,
            State = OutboxState.Pending,
        }).ToList();
    }

    private static (string Host, int Port) SplitHostPort(string smtp)
    {
        var colon = smtp.LastIndexOf(':');
        return (smtp[..colon], int.Parse(smtp[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
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
