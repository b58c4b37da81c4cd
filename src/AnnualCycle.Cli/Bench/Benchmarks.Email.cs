namespace AnnualCycle.Cli.Bench;

/// <summary>The email fan-out target: the outbox against a bare MailKit loop to the same server, alternating in one run.</summary>
public static partial class Benchmarks
{
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
            await using var batch = await setup.ServiceProvider.GetRequiredService<OutboxEmailBuilder>().ReadAsync([row], ct);
            var prepared = await batch.PrepareAsync(row, TimeProvider.System.GetUtcNow(), ct);
            sample = prepared is OutboxEmailBuilder.Ready ready
                ? ready.Message
                : throw new InvalidOperationException("The bench message could not be rendered: " + prepared);
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
        GcWork referenceGc = default, productGc = default;
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
            var referenceGcBefore = GcWork.Now();
            var seconds = await BareMailKitLoopAsync(host, port, sample, count, ct);
            if (counted)
            {
                referenceGc += GcWork.Now() - referenceGcBefore;
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
            var productGcBefore = GcWork.Now();
            var summary = await dispatcher.RunAsync(ct);
            var productCpuAfter = ProcessorTime();
            var productGcAfter = GcWork.Now();
            stages.Listening = false;
            stopwatch.Stop();
            if (counted)
            {
                productCpu += productCpuAfter - productCpuBefore;
                productGc += productGcAfter - productGcBefore;
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
        // waiting for the previous row's mark before the end of data.
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
            ("send", "send over SMTP (envelope to reply)"), ("gate", "of which: end of data waiting for the previous mark"), ("mark", "mark Sent (on its own thread, overlaps the next send)"),
            ("starved", "sender waiting for a rendered message"),
        })
        {
            measurements.Add(new($"{stage}Microseconds", "  product: " + label, Math.Round(stages.Seconds(stage) * perMessage, 1), "µs"));
        }

        measurements.Add(new("referenceAllocatedBytesPerMessage", "reference: managed bytes allocated per message", Math.Round(referenceAllocated / (double)Math.Max(referenceSent, 1)), "B"));
        measurements.Add(new("allocatedBytesPerMessage", "product: managed bytes allocated per message", Math.Round(allocated / (double)Math.Max(productSent, 1)), "B"));
        // The collector's share: collections per 1,000 messages by generation, and the time the process was paused for them.
        foreach (var (side, gc, sent) in new[] { ("reference", referenceGc, referenceSent), ("product", productGc, productSent) })
        {
            var perThousand = 1000.0 / Math.Max(sent, 1);
            foreach (var (generation, count) in new[] { (0, gc.Gen0), (1, gc.Gen1), (2, gc.Gen2) })
            {
                measurements.Add(new($"{side}Gen{generation}Collections", $"{side}: gen{generation} collections per 1,000 messages", Math.Round(count * perThousand, 2), ""));
            }

            measurements.Add(new($"{side}GcPauseMicroseconds", $"{side}: time paused for collections per message", Math.Round(gc.Paused.TotalMicroseconds / Math.Max(sent, 1), 1), "µs"));
        }

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


    /// <summary>The collector's work so far: collections by generation (a gen1 collection counts in gen0 too) and the time paused for them.</summary>
    private readonly record struct GcWork(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcWork Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public static GcWork operator -(GcWork a, GcWork b) => new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused);

        public static GcWork operator +(GcWork a, GcWork b) => new(a.Gen0 + b.Gen0, a.Gen1 + b.Gen1, a.Gen2 + b.Gen2, a.Paused + b.Paused);
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
