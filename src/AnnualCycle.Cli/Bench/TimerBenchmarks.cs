using AnnualCycle.Data.Identity;
using AnnualCycle.Runtime.Jobs;
using Hangfire;
using Hangfire.AspNetCore;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The timer targets of issue 13, each beside its reference in the same run (the <see cref="Comparison"/> structure):
/// <list type="bullet">
/// <item><c>timers</c>: lateness of timers fired by the service's own composition (its Hangfire storage and job activator, a
/// Hangfire server with the service's settings, the wake-up jobs and the timer dispatcher) on the chosen database: p99 ≤ 500 ms for 200 timers spread over a minute, p99 ≤ 2 s for 1,000 timers due in
/// the same second, never early; the reference is <see cref="Task.Delay(TimeSpan)"/> to the same instants, at the same time.</item>
/// <item><c>wakeup</c>: the cost of a wake-up with nothing due with 100,000 pending timers, at most twice its cost with
/// 1,000 (the reference).</item>
/// </list>
/// Wall time comes from <see cref="Stopwatch"/> and the system clock: this is a measuring tool.
/// </summary>
public static class TimerBenchmarks
{
    public const double SpreadP99TargetMs = 500;
    public const double BurstP99TargetMs = 2000;
    public const double WakeupTargetRatio = 0.5; // wake-ups per second with 100k pending >= half the rate with 1k

    /// <summary>Wake-up cost: nothing due, 1,000 and then <paramref name="pending"/> pending timers.</summary>
    public static async Task<BenchResult> WakeupAsync(BenchEnvironment env, string workflowId, int year, int pending, CancellationToken ct)
    {
        var steps = await StepsAsync(env.Services, env.ProcessOwner, workflowId, year, ct);
        await using (var scope = env.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Timers.ExecuteDeleteAsync(ct);
        }

        var small = Math.Min(1000, pending);
        await AddFarTimersAsync(env.Services, steps, small, ct);
        var reference = await MedianWakeupSecondsAsync(env.Services, ct);
        await AddFarTimersAsync(env.Services, steps, pending - small, ct);
        var product = await MedianWakeupSecondsAsync(env.Services, ct);

        var measurements = new List<Measurement>
        {
            new("pendingSmall", "pending timers (reference)", small, ""),
            new("pendingLarge", "pending timers (product)", pending, ""),
            new("costSmallMs", $"wake-up cost, {small:#,0} pending (median)", Math.Round(reference * 1000, 3), "ms"),
            new("costLargeMs", $"wake-up cost, {pending:#,0} pending (median)", Math.Round(product * 1000, 3), "ms", $"<= 2 x {Math.Round(reference * 1000, 3).ToString(CultureInfo.InvariantCulture)} ms", product <= 2 * reference),
        };
        measurements.AddRange(Comparison.Of("/s", Math.Round(1 / Math.Max(product, 1e-9), 1), Math.Round(1 / Math.Max(reference, 1e-9), 1), WakeupTargetRatio, $"the same wake-up with {small:#,0} pending timers"));
        return new BenchResult("timer-wakeup", measurements);
    }

    /// <summary>Lateness of timers fired by the real composition with its Hangfire server, against Task.Delay to the same instants.</summary>
    public static async Task<IReadOnlyList<BenchResult>> LatenessAsync(IConfiguration configuration, string? postgres, string workflowId, int year, int spreadSeconds, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("annualcycle-bench-timers-").FullName;
        var overrides = new Dictionary<string, string?> { ["Email:Smtp:Host"] = "", ["Email:Smtp:UserName"] = "", ["DataFolder"] = folder };
        if (postgres is not null)
        {
            overrides["Database:Provider"] = nameof(DatabaseProvider.PostgreSql);
            overrides["Database:ConnectionString"] = postgres;
        }
        else
        {
            overrides["Database:Provider"] = nameof(DatabaseProvider.Sqlite);
        }

        var effective = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(overrides).Build();
        var provider = CliHost.Build(effective, s => s.UseMailTransport(_ => new PickupFolderMailTransport(Path.Combine(folder, PickupFolderMailTransport.FolderName))));
        BackgroundJobServer? server = null;
        try
        {
            await DatabaseMigrator.MigrateAsync(provider, ct);
            await using (var scope = provider.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
                if (await db.Cycles.AnyAsync(ct))
                {
                    throw new UsageException("bench timers needs a database made for benchmarking: this one already holds cycles.");
                }

                db.Users.Add(new AppUser { Id = BenchEnvironment.ProcessOwnerId, UserName = "po@bench.invalid", Email = "po@bench.invalid", DisplayName = "Benchmark" });
                await db.SaveChangesAsync(ct);
            }

            var steps = await StepsAsync(provider, org => new Actor(BenchEnvironment.ProcessOwnerId, "Benchmark", [new RoleGrant(org, null, Roles.ProcessOwner)], []), workflowId, year, ct);
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Timers.ExecuteDeleteAsync(ct); // only the bench's timers
            }

            // The service's Hangfire server settings (HangfireSetup) on the composition's own storage and job activator;
            // none of the other hosted services (outbox, digest), so only timers run.
            server = new BackgroundJobServer(
                new BackgroundJobServerOptions
                {
                    SchedulePollingInterval = HangfireSetup.SchedulePollingInterval,
                    WorkerCount = Math.Max(4, Environment.ProcessorCount * 2),
                    Activator = new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()),
                },
                provider.GetRequiredService<JobStorage>());

            // The service's own start-up: the minute sweep (the safety net behind every wake-up) and the reconciliation.
            await ActivatorUtilities.CreateInstance<TimerReconciler>(provider).StartAsync(ct);
            var where = postgres is not null ? "PostgreSQL (data and Hangfire)" : "SQLite, Hangfire in memory";
            var spread = await MeasureAsync(provider, steps, 200, TimeSpan.FromSeconds(spreadSeconds), ct);
            var burst = await MeasureAsync(provider, steps, 1000, TimeSpan.FromSeconds(1), ct);
            return
            [
                Report("timer-lateness-spread", $"200 timers over {spreadSeconds} s, {where}", spread, SpreadP99TargetMs),
                Report("timer-lateness-burst", $"1,000 timers due in one second, {where}", burst, BurstP99TargetMs),
            ];
        }
        finally
        {
            server?.SendStop();
            server?.Dispose();

            await provider.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder.
            }
        }
    }

    private sealed record Lateness(List<double> ProductMs, List<double> ReferenceMs, int Expected, int Fired, int Early, int ReferenceEarly);

    private static async Task<Lateness> MeasureAsync(IServiceProvider services, List<(Guid Id, Guid CycleId)> steps, int count, TimeSpan window, CancellationToken ct)
    {
        var random = new Random(count);
        var start = TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(5);
        start = new DateTime(start.Ticks - (start.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        var dues = Enumerable.Range(0, count).Select(_ => start.AddMilliseconds(random.Next(0, (int)window.TotalMilliseconds))).ToList();
        var ids = new List<Guid>();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var rows = dues.Select((due, i) => new TimerEntity
            {
                Id = Guid.NewGuid(), CycleId = steps[i % steps.Count].CycleId, StepInstanceId = steps[i % steps.Count].Id, Kind = TimerKind.Reminder,
                Sequence = 1000 + i, DueAtUtc = due, State = TimerState.Pending,
            }).ToList();
            ids.AddRange(rows.Select(r => r.Id));
            db.Timers.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await scope.ServiceProvider.GetRequiredService<TimerScheduler>().EnsureScheduledAsync(ct);
        }

        // The reference at the same time: Task.Delay to each instant, the floor of any timer in this process.
        var reference = Task.WhenAll(dues.Select(async due =>
        {
            var wait = due - TimeProvider.System.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            return (TimeProvider.System.GetUtcNow().UtcDateTime - due).TotalMilliseconds;
        }));

        var deadline = Stopwatch.StartNew();
        var limit = window + TimeSpan.FromSeconds(90);
        List<(DateTime Due, DateTime? Fired)> fired;
        while (true)
        {
            await Task.Delay(500, ct);
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            fired = (await db.Timers.AsNoTracking().Where(t => ids.Contains(t.Id)).Select(t => new { t.DueAtUtc, t.FiredAtUtc }).ToListAsync(ct))
                .Select(t => (t.DueAtUtc, t.FiredAtUtc)).ToList();
            if (fired.All(f => f.Fired is not null) || deadline.Elapsed > limit)
            {
                break;
            }
        }

        var referenceMs = (await reference).ToList();
        var productMs = fired.Where(f => f.Fired is not null).Select(f => (f.Fired!.Value - f.Due).TotalMilliseconds).ToList();
        // The engine stamps whole milliseconds (EngineWork.Now); a due instant is whole milliseconds too, so "early" is exact.
        return new Lateness(productMs, referenceMs, count, productMs.Count, productMs.Count(ms => ms < 0), referenceMs.Count(ms => ms < 0));
    }

    private static BenchResult Report(string name, string what, Lateness l, double p99TargetMs)
    {
        var p99 = Percentile(l.ProductMs, 0.99);
        var referenceP99 = Percentile(l.ReferenceMs, 0.99);
        var comparison = Comparison.Of("ms", Math.Round(p99, 1), Math.Round(referenceP99, 1), 0, "Task.Delay to the same instants, p99 late");
        return new BenchResult(name,
        [
            new("what", what, l.Expected, ""),
            new("fired", "timers fired", l.Fired, "", $"= {l.Expected}", l.Fired == l.Expected),
            new("early", "fired before their instant", l.Early, "", "= 0", l.Early == 0),
            new("p50", "p50 late (product)", Math.Round(Percentile(l.ProductMs, 0.5), 1), "ms"),
            new("p99", "p99 late (product)", Math.Round(p99, 1), "ms", $"<= {p99TargetMs.ToString(CultureInfo.InvariantCulture)} ms", l.Fired == l.Expected && p99 <= p99TargetMs),
            new("max", "max late (product)", Math.Round(l.ProductMs.DefaultIfEmpty(double.NaN).Max(), 1), "ms"),
            comparison[0],
            comparison[1],
            comparison[2] with { Label = "product / reference (p99 lateness; lower is better, no target)", Target = null, Passed = null },
        ]);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>The median of 25 wake-ups with nothing due (after 5 to warm up): the dispatcher's "what is due" and the scheduler's pass.</summary>
    private static async Task<double> MedianWakeupSecondsAsync(IServiceProvider services, CancellationToken ct)
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            await using var scope = services.CreateAsyncScope();
            var dispatcher = scope.ServiceProvider.GetRequiredService<TimerDispatcher>();
            var stopwatch = Stopwatch.StartNew();
            var fired = await dispatcher.RunDueAsync(ct);
            stopwatch.Stop();
            if (fired != 0)
            {
                throw new InvalidOperationException($"A wake-up with nothing due fired {fired} timer(s).");
            }

            if (i >= 5)
            {
                times.Add(stopwatch.Elapsed.TotalSeconds);
            }
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    /// <summary>Pending timers spread over the next two years, at whole seconds, on the cycle's steps.</summary>
    private static async Task AddFarTimersAsync(IServiceProvider services, List<(Guid Id, Guid CycleId)> steps, int count, CancellationToken ct)
    {
        var random = new Random(count);
        var from = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(1);
        from = new DateTime(from.Ticks - (from.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        for (var done = 0; done < count; done += 5000)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.Timers.AddRange(Enumerable.Range(done, Math.Min(5000, count - done)).Select(i => new TimerEntity
            {
                Id = Guid.NewGuid(), CycleId = steps[i % steps.Count].CycleId, StepInstanceId = steps[i % steps.Count].Id, Kind = TimerKind.Reminder,
                Sequence = 10_000 + i, DueAtUtc = from.AddSeconds(random.Next(0, 2 * 365 * 86400)), State = TimerState.Pending,
            }));
            await db.SaveChangesAsync(ct);
        }

        // The planner's statistics as a running PostgreSQL has them: autovacuum analyzes a table within a minute of a
        // change this size. Measured at once, a fresh database (bench all gives each target one) has none, and the
        // next-seconds query then reads and sorts every pending timer instead of the (State, DueAtUtc) index's first rows.
        await using var analyze = services.CreateAsyncScope();
        var database = analyze.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Database;
        if (database.IsNpgsql())
        {
            await database.ExecuteSqlRawAsync("ANALYZE \"Timers\"", ct);
        }
    }

    private static async Task<List<(Guid Id, Guid CycleId)>> StepsAsync(IServiceProvider services, Func<string, Actor> processOwner, string workflowId, int year, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        if (!await db.StepInstances.AnyAsync(ct))
        {
            var organisationId = scope.ServiceProvider.GetRequiredService<ICyclePlanner>().Plan(workflowId, year).OrganisationId;
            await scope.ServiceProvider.GetRequiredService<StartCycleHandler>().HandleAsync(processOwner(organisationId), new StartCycleCommand(organisationId, workflowId, year), ct);
            await db.OutboxMessages.Where(o => o.State == OutboxState.Pending).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Dropped), ct);
        }

        return (await db.StepInstances.AsNoTracking().OrderBy(s => s.Key).Select(s => new { s.Id, s.CycleId }).Take(500).ToListAsync(ct)).Select(s => (s.Id, s.CycleId)).ToList();
    }
}
