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
    /// <summary>The start-cycle target: the product writes a cycle's rows at least at half the raw insert rate of the same rows.</summary>
    public const double StartCycleTargetRatio = 0.5;

    /// <summary>How much slower per step a start of ten times the steps may be and still count as linear.</summary>
    public const double LinearSlack = 1.5;

    /// <summary>
    /// Starts one cycle of <paramref name="steps"/> step instances (the workflow's plan copied over pretend bodies)
    /// against its reference, alternating in the same run: each of <paramref name="rounds"/> rounds times
    /// <see cref="StartCycleHandler"/> (plan, rows, journal, timers, wake-ups scheduled, commit), reads the rows it wrote
    /// back raw, deletes them, and times writing exactly those rows again the fastest plain way (<see cref="RawRows"/>),
    /// then deletes them again, so every round starts from the same tables. Rates are rows / seconds over all rounds.
    /// With <paramref name="warmUp"/>, one round before them is not counted (the JIT compiles both sides' code there).
    /// </summary>
    public static async Task<BenchResult> StartCycleAsync(BenchEnvironment env, string name, string workflowId, int year, int steps, int rounds, bool warmUp, CancellationToken ct)
    {
        await using var scope = env.Services.CreateAsyncScope();
        var planner = new ScaledCyclePlanner(scope.ServiceProvider.GetRequiredService<ICyclePlanner>(), steps);
        var organisationId = planner.Plan(workflowId, year).OrganisationId; // also warms the planner and the catalog
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await RawRows.DeleteAsync(connection, organisationId, workflowId, year, ct); // a run interrupted before

        double productSeconds = 0, referenceSeconds = 0, schedulingSeconds = 0, jobSeconds = 0;
        long rows = 0, instances = 0, timers = 0, jobs = 0, allocated = 0, commands = 0;
        for (var round = warmUp ? -1 : 0; round < rounds; round++)
        {
            env.Wakeups.Reset();
            // Each round is a first start: the seconds an earlier round claimed would otherwise already have their jobs.
            await db.TimerWakeups.ExecuteDeleteAsync(ct);
            var counted = round >= 0;
            await using (var run = env.Services.CreateAsyncScope())
            {
                // The scaled plan for this run only: the handler gets it as its planner, everything else from the scope.
                var handler = ActivatorUtilities.CreateInstance<StartCycleHandler>(run.ServiceProvider, planner);
                var context = run.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
                // The scheduler's own statements after the commit: the next due times' pages, the claims of the seconds and
                // their job ids (TimerWakeups); and every statement of the start, its round trips to the database.
                using var scheduling = SqlTime.Watch(context, IsSchedulingStatement);
                using var statements = SqlTime.Watch(context, _ => true);
                Collect();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var stopwatch = Stopwatch.StartNew();
                await handler.HandleAsync(env.ProcessOwner(organisationId), new StartCycleCommand(organisationId, workflowId, year), ct);
                stopwatch.Stop();
                if (counted)
                {
                    allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                    productSeconds += stopwatch.Elapsed.TotalSeconds;
                    schedulingSeconds += (scheduling.Elapsed + env.Wakeups.Elapsed).TotalSeconds;
                    jobSeconds += env.Wakeups.Elapsed.TotalSeconds;
                    commands += statements.Count;
                }
            }

            var written = await RawRows.ReadAsync(connection, organisationId, workflowId, year, ct);
            var cycleId = await db.Cycles.AsNoTracking().Where(c => c.OrganisationId == organisationId && c.WorkflowId == workflowId && c.Year == year).Select(c => c.Id).SingleAsync(ct);
            if (counted)
            {
                jobs += env.Wakeups.Scheduled;
                rows += written.Count;
                instances += await db.StepInstances.CountAsync(s => s.CycleId == cycleId, ct);
                timers += await db.Timers.CountAsync(t => t.CycleId == cycleId, ct);
            }

            await RawRows.DeleteAsync(connection, organisationId, workflowId, year, ct);
            var seconds = await written.InsertAsync(connection, ct);
            referenceSeconds += counted ? seconds : 0;
            await RawRows.DeleteAsync(connection, organisationId, workflowId, year, ct);
        }

        var product = rows / Math.Max(productSeconds, 1e-9);
        var reference = rows / Math.Max(referenceSeconds, 1e-9);
        var measurements = new List<Measurement>
        {
            new("steps", "step instances per start", instances / rounds, "", $"= {steps}", instances == (long)steps * rounds),
            new("rows", "rows written per start (cycle, steps, approvals, timers, journal, outbox)", rows / rounds, "", $"{rounds} alternating rounds"),
            new("timers", "timers written per start", timers / rounds, ""),
            new("jobs", "Hangfire jobs scheduled per start", jobs / rounds, "", $"<= {TimerScheduler.Horizon} (horizon), < timers", jobs / rounds <= TimerScheduler.Horizon && jobs < Math.Max(timers, 1)),
        };
        measurements.AddRange(Comparison.Of("rows/s", Math.Round(product, 1), Math.Round(reference, 1), StartCycleTargetRatio,
            env.IsPostgreSql ? "binary COPY of the same rows" : "prepared multi-row INSERT of the same rows"));
        measurements.Add(new("productSeconds", "product seconds per start", Math.Round(productSeconds / rounds, 4), "s"));
        measurements.Add(new("referenceSeconds", "reference seconds per start", Math.Round(referenceSeconds / rounds, 4), "s"));
        measurements.Add(new("schedulingSeconds", "of the product: scheduling wake-ups (Hangfire jobs + the scheduler's SQL)", Math.Round(schedulingSeconds / rounds, 4), "s"));
        measurements.Add(new("jobSeconds", "of it: writing the Hangfire jobs", Math.Round(jobSeconds / rounds, 4), "s"));
        measurements.Add(new("statements", "SQL statements per start (EF Core's; each bulk COPY or INSERT batch not counted)", commands / rounds, ""));
        measurements.Add(new("secondsPerThousandSteps", "product seconds per 1,000 steps", Math.Round(productSeconds / rounds / steps * 1000, 4), "s"));
        measurements.Add(new("allocatedMegabytes", "managed bytes allocated per start", Math.Round(allocated / rounds / 1048576.0, 1), "MB"));
        measurements.Add(new("peakWorkingSetMegabytes", "peak working set (process)", Math.Round(PeakWorkingSet() / 1048576.0, 1), "MB"));
        return new BenchResult(name, measurements);

        // A statement of TimerScheduler's pass: the rows of TimerWakeups, or a page of the next pending due times.
        static bool IsSchedulingStatement(string sql) =>
            sql.Contains("\"TimerWakeups\"", StringComparison.Ordinal)
            || (sql.Contains("\"DueAtUtc\"", StringComparison.Ordinal) && sql.Contains("FROM \"Timers\"", StringComparison.Ordinal) && sql.Contains("ORDER BY", StringComparison.Ordinal));
    }

    /// <summary>
    /// Adds the linearity target to the larger of two start-cycle results: seconds per 1,000 steps at ten times the
    /// steps at most <see cref="LinearSlack"/> times those of the smaller start.
    /// </summary>
    public static BenchResult WithLinearity(BenchResult large, BenchResult small)
    {
        double PerThousand(BenchResult r) => r.Measurements.Single(m => m.Id == "secondsPerThousandSteps").Value;
        var ratio = PerThousand(large) / Math.Max(PerThousand(small), 1e-9);
        return large with
        {
            Measurements = [.. large.Measurements, new("linearity", $"seconds per 1,000 steps against {small.Name}'s", Math.Round(ratio, 3), "", $"<= {LinearSlack}", ratio <= LinearSlack)],
        };
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
    public static async Task<BenchResult> EmailAsync(BenchEnvironment env, string workflowId, int year, int messages, int rounds, string smtp, SmtpSink? sink, int warmUpSeconds, CancellationToken ct)
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
        TimeSpan productCpu = TimeSpan.Zero, referenceCpu = TimeSpan.Zero;
        long productSent = 0, referenceSent = 0;
        long allocated = 0;
        // Where the product's time goes: the dispatcher's own stopwatches (EmailMetrics.StageDuration), summed per stage.
        using var stages = new StageTimes();
        long referenceAllocated = 0;
        // Warm-up rounds first, not counted, of a tenth of a round's messages each side (at least 500), for
        // warmUpSeconds (at least one round): the JIT's tiering (tier 0, instrumented, tier 1) of the code both sides run
        // took a quarter of a core for the first ~25 s of a fresh process, which says nothing about the dispatcher of a
        // running service, compiled long ago. The methods the last warm-up round compiled are reported.
        var warmUp = Math.Min(perRound, Math.Max(500, perRound / 10));
        var warmUpRounds = 0;
        var warmUpMessages = 0;
        long compiledInLastWarmUp = 0;
        var warmingUp = Stopwatch.StartNew();
        for (var round = -1; round < rounds; round++)
        {
            var counted = round >= 0;
            if (!counted && warmUpRounds > 0 && warmingUp.Elapsed.TotalSeconds >= warmUpSeconds)
            {
                continue;
            }

            if (counted)
            {
                warmingUp.Stop();
            }

            var count = counted ? perRound : warmUp;
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            Collect();
            var cpuBefore = ProcessorTime();
            var referenceAllocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var seconds = await BareMailKitLoopAsync(host, port, sample, count, ct);
            if (counted)
            {
                referenceAllocated += GC.GetTotalAllocatedBytes(precise: true) - referenceAllocatedBefore;
                referenceSeconds += seconds;
                referenceCpu += ProcessorTime() - cpuBefore;
                referenceSent += count;
            }

            await using (var setup = env.Services.CreateAsyncScope())
            {
                var db = setup.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.OutboxMessages.AddRange(NewRows(steps, count, $"r{round}"));
                await db.SaveChangesAsync(ct);
            }

            await using var scope = env.Services.CreateAsyncScope();
            var dispatcher = scope.ServiceProvider.GetRequiredService<OutboxDispatcher>();
            Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            stages.Listening = counted;
            var productCpuBefore = ProcessorTime();
            var summary = await dispatcher.RunAsync(ct);
            var productCpuAfter = ProcessorTime();
            stages.Listening = false;
            stopwatch.Stop();
            if (counted)
            {
                productCpu += productCpuAfter - productCpuBefore;
                allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                productSeconds += stopwatch.Elapsed.TotalSeconds;
                productSent += summary.Sent;
            }
            else
            {
                if (summary.Sent != count)
                {
                    throw new InvalidOperationException($"The warm-up round sent {summary.Sent} of {count} outbox rows.");
                }

                warmUpRounds++;
                warmUpMessages += count;
                compiledInLastWarmUp = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
                round--; // another warm-up round, unless the warm-up time is over
            }
        }

        var product = productSent / Math.Max(productSeconds, 1e-9);
        var reference = referenceSent / Math.Max(referenceSeconds, 1e-9);
        var expected = (long)perRound * rounds;
        var measurements = new List<Measurement>
        {
            new("messages", "messages per side", expected, "", $"{rounds} alternating rounds of {perRound:#,0}, after {warmUpMessages:#,0} a side not counted ({warmUpRounds} warm-up round(s) in {warmingUp.Elapsed.TotalSeconds:0} s, the last compiling {compiledInLastWarmUp} method(s))"),
            new("sent", "outbox rows sent", productSent, "", $"= {expected}", productSent == expected),
            new("warmUpRounds", "warm-up rounds, not counted", warmUpRounds, ""),
            new("warmUpMessages", "warm-up messages per side, not counted", warmUpMessages, ""),
        };
        if (sink is not null)
        {
            var received = sink.Messages - sinkBefore;
            measurements.Add(new("received", "messages the sink accepted", received, "", $"= {2 * (expected + warmUpMessages)} (both sides, warm-up too)", received == 2 * (expected + warmUpMessages)));
        }

        var sessions = env.Transport.Batches - sessionsBefore;
        measurements.Add(new("smtpConnections", "SMTP connections opened by the product", env.Transport.Connections - connectionsBefore, "", $"= {sessions} (one per sender per run)", env.Transport.Connections - connectionsBefore == sessions));
        measurements.AddRange(Comparison.Of("/s", Math.Round(product, 1), Math.Round(reference, 1), EmailTargetRatio, "bare MailKit loop, one connection, same message"));
        measurements.Add(new("productSeconds", "product wall time (claim, render, send, mark)", Math.Round(productSeconds, 3), "s"));
        measurements.Add(new("referenceSeconds", "reference wall time", Math.Round(referenceSeconds, 3), "s"));
        // Per message, in microseconds: the wall time of each side, then the product's parts. The parts overlap (one task
        // claims and renders while each sender sends and a mark commits), so they do not add up to the wall time; the
        // sender's own time is send + starved (waiting for a rendered message), and gate is the part of send spent
        // waiting for the previous row's mark before the content.
        var perMessage = 1e6 / Math.Max(productSent, 1);
        measurements.Add(new("referenceMicroseconds", "reference: wall time per message", Math.Round(referenceSeconds * 1e6 / Math.Max(referenceSent, 1), 1), "µs"));
        measurements.Add(new("productMicroseconds", "product: wall time per message", Math.Round(productSeconds * perMessage, 1), "µs"));
        // Processor time of this whole process (the built-in sink included, when it is the server) per message: what the
        // two cores are spent on, which bounds the rate whatever the pipeline overlaps.
        measurements.Add(new("referenceCpuMicroseconds", "reference: processor time per message (this process)", Math.Round(referenceCpu.TotalMicroseconds / Math.Max(referenceSent, 1), 1), "µs"));
        measurements.Add(new("productCpuMicroseconds", "product: processor time per message (this process)", Math.Round(productCpu.TotalMicroseconds / Math.Max(productSent, 1), 1), "µs"));
        foreach (var (stage, label) in new[]
        {
            ("claim", "claim due rows (per message)"), ("read", "read steps, cycles, recipients (per message)"), ("render", "render: templates, .ics, MIME"),
            ("send", "send over SMTP (envelope to reply)"), ("gate", "of which: content waiting for the previous mark"), ("mark", "mark Sent (on its own thread, overlaps the next send)"),
            ("starved", "sender waiting for a rendered message"),
        })
        {
            measurements.Add(new($"{stage}Microseconds", "  product: " + label, Math.Round(stages.Seconds(stage) * perMessage, 1), "µs"));
        }

        measurements.Add(new("referenceAllocatedBytesPerMessage", "reference: managed bytes allocated per message", Math.Round(referenceAllocated / (double)Math.Max(referenceSent, 1)), "B"));
        measurements.Add(new("allocatedBytesPerMessage", "product: managed bytes allocated per message", Math.Round(allocated / (double)Math.Max(productSent, 1)), "B"));
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
            Kind = EmailKind.StepOpened,
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

    /// <summary>This process's processor time so far (user and system, all threads).</summary>
    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    /// <summary>Sums <see cref="EmailMetrics.StageDuration"/> per stage while <see cref="Listening"/>.</summary>
    private sealed class StageTimes : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly Dictionary<string, double> _seconds = [];
        private volatile bool _listening;

        public StageTimes()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == EmailMetrics.MeterName && instrument.Name == EmailMetrics.StageDurationName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            {
                if (!Listening)
                {
                    return;
                }

                foreach (var tag in tags)
                {
                    if (tag is { Key: "stage", Value: string stage })
                    {
                        lock (_seconds)
                        {
                            _seconds[stage] = _seconds.GetValueOrDefault(stage) + value;
                        }
                    }
                }
            });
            _listener.Start();
        }

        public bool Listening
        {
            get => _listening;
            set => _listening = value;
        }

        public double Seconds(string stage)
        {
            lock (_seconds)
            {
                return _seconds.GetValueOrDefault(stage);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
