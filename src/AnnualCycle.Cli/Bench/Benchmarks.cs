namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The measurements behind <c>bench</c>. Wall time comes from <see cref="Stopwatch"/>: this is a measuring tool; the
/// product code it drives keeps reading time from the injected <see cref="TimeProvider"/>.
/// </summary>
public static partial class Benchmarks
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
}
