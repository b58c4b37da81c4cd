using System.Runtime.CompilerServices;

namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// Gives pending timers their wake-ups: ONE Hangfire job per distinct due second across every cycle, recorded as a row
/// of <see cref="TimerWakeupEntity"/> (the small table of scheduled seconds), and only for the next
/// <see cref="Horizon"/> seconds; each dispatcher run schedules the next ones, and the minute sweep catches anything
/// else. Hangfire writes ~370 jobs/s on PostgreSQL (../shared/STACK.md), so 300 cycles reminding at the same 08:00
/// share one job instead of writing one each.
/// <para>
/// Cost: a pass reads pages of <see cref="Window"/> of the earliest pending due times through the
/// <c>(State, DueAtUtc)</c> index until it has the horizon's seconds, and the scheduled seconds in that range, so it
/// costs the same with 1,000 or 100,000 pending timers. Restart reconciliation walks the scheduled seconds, not the timers.
/// </para>
/// </summary>
public sealed class TimerScheduler(AnnualCycleDbContext db, ITimerWakeups wakeups, TimeProvider clock)
{
    public const int Horizon = 200;

    /// <summary>How many of the earliest pending due times one page reads.</summary>
    public const int Window = Horizon * 4;

    /// <summary>At most this many pages per pass (a pass with very many timers per second schedules fewer seconds; the next run goes on).</summary>
    private const int MaxPages = 8;

    /// <summary>
    /// A second's job is scheduled this much before it: Hangfire starts a scheduled job 0.1–0.8 s after its time (schedule
    /// poll, then the queue poll), and <see cref="TimerJob"/> waits inside its run for each timer's exact instant, so the
    /// lead absorbs that start-up delay instead of adding it to every timer's lateness.
    /// </summary>
    public static readonly TimeSpan Lead = TimeSpan.FromSeconds(1);

    /// <summary>Scheduled seconds older than this are forgotten: their jobs ran, and the minute sweep covers any miss.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromMinutes(10);

    /// <summary>Schedules a wake-up for each of the next distinct due seconds that has none. Returns the number of jobs written.</summary>
    public async Task<int> EnsureScheduledAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.TimerWakeups.Where(w => w.Second < now - Keep).ExecuteDeleteAsync(ct);
        // Keyset pages of the earliest due times through the (State, DueAtUtc) index until the horizon's seconds are
        // found: the cost follows the timers per second, not the timers pending in all.
        var seconds = new List<DateTime>();
        var after = now;
        for (var page = 0; page < MaxPages && seconds.Count < Horizon; page++)
        {
            var from = after;
            var dues = await db.Timers.AsNoTracking()
                .Where(t => t.State == TimerState.Pending && t.DueAtUtc > from)
                .OrderBy(t => t.DueAtUtc).Select(t => t.DueAtUtc).Take(Window).ToListAsync(ct);
            foreach (var due in dues)
            {
                var second = FloorToSecond(due);
                if (seconds.Count == 0 || second > seconds[^1])
                {
                    seconds.Add(second);
                }
            }

            if (dues.Count < Window)
            {
                break;
            }

            var lastSecond = seconds[^1];
            if (FloorToSecond(dues[0]) == lastSecond)
            {
                after = lastSecond.AddSeconds(1).AddTicks(-1); // a whole page in one second: go on after it
            }
            else
            {
                seconds.RemoveAt(seconds.Count - 1); // seen only in part: the next page starts with it
                after = lastSecond.AddTicks(-1);
            }
        }

        seconds = seconds.Take(Horizon).ToList();
        if (seconds.Count == 0)
        {
            return 0;
        }

        var (first, last) = (seconds[0], seconds[^1]);
        var known = (await db.TimerWakeups.AsNoTracking().Where(w => w.Second >= first && w.Second <= last).Select(w => w.Second).ToListAsync(ct)).ToHashSet();
        // Claim the seconds first: of two schedulers (two nodes, a start racing a reschedule) only one writes a second's
        // job. All of them in one statement and the job ids in one more: a round trip per second was most of a start.
        var claimed = await ClaimAsync(seconds.Where(s => !known.Contains(s)).ToList(), ct);
        await ScheduleAsync(claimed, ct);
        return claimed.Count;
    }

    /// <summary>
    /// At start-up: every scheduled second still ahead whose job the storage no longer knows (an in-memory storage loses
    /// all of them on restart), or whose job was never written (a crash between claim and schedule), gets a job again;
    /// timers already due get one wake-up now. Then the horizon is filled. Proportional to the scheduled seconds, not to
    /// the timers. Returns the number of jobs written.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var written = 0;
        var seconds = await db.TimerWakeups.AsNoTracking().Where(w => w.Second >= now - Keep).ToListAsync(ct);
        var lost = seconds.Where(r => r.JobId is null || (r.Second > now && !wakeups.IsAlive(r.JobId))).Select(r => r.Second).Order().ToList();
        await ScheduleAsync(lost, ct);
        written += lost.Count;

        if (await db.Timers.AnyAsync(t => t.State == TimerState.Pending && t.DueAtUtc <= now && (t.RetryAtUtc == null || t.RetryAtUtc <= now), ct))
        {
            // Due while the service was down: fire now, not at the next minute sweep.
            wakeups.Schedule(FloorToSecond(now));
            written++;
        }

        return written + await EnsureScheduledAsync(ct);
    }

    /// <summary>The whole second a timer's wake-up is for. Its job runs <see cref="Lead"/> before that second (Hangfire stores
    /// whole seconds), and <see cref="TimerJob"/> waits inside it for the exact due instant: no rounding up adds lateness.</summary>
    public static DateTime FloorToSecond(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>Parameters per statement: SQLite allows 32,766, PostgreSQL 65,535; a horizon's seconds fit in one.</summary>
    private const int SecondsPerStatement = 1000;

    /// <summary>
    /// Claims <paramref name="seconds"/> (ascending) with a row each whose job id is still null; returns those this call
    /// inserted, ascending (a second another scheduler claimed first is left to it). Rows are inserted in ascending order,
    /// so two claims racing over the same seconds wait for each other rather than deadlock.
    /// </summary>
    private async Task<List<DateTime>> ClaimAsync(IReadOnlyList<DateTime> seconds, CancellationToken ct)
    {
        var claimed = new List<DateTime>(seconds.Count);
        foreach (var chunk in seconds.Chunk(SecondsPerStatement))
        {
            var values = string.Join(", ", chunk.Select((_, i) => $"({{{i}}}, NULL)"));
            // Only placeholders are spliced into the text; every value goes as a parameter.
            var inserted = await db.Database.SqlQuery<DateTime>(FormattableStringFactory.Create(
                    $"INSERT INTO \"TimerWakeups\" (\"Second\", \"JobId\") VALUES {values} ON CONFLICT DO NOTHING RETURNING \"Second\" AS \"Value\"",
                    chunk.Cast<object>().ToArray()))
                .ToListAsync(ct);
            claimed.AddRange(inserted.Select(s => DateTime.SpecifyKind(s, DateTimeKind.Utc)));
        }

        claimed.Sort();
        return claimed;
    }

    /// <summary>Writes a wake-up job for each of <paramref name="seconds"/> (claimed rows) and records the job ids, one statement per chunk.</summary>
    private async Task ScheduleAsync(IReadOnlyList<DateTime> seconds, CancellationToken ct)
    {
        foreach (var chunk in seconds.Chunk(SecondsPerStatement / 2))
        {
            var jobs = chunk.Select(second => (Second: second, JobId: wakeups.Schedule(new DateTimeOffset(second - Lead, TimeSpan.Zero)))).ToList();
            // {2i} is a second, {2i+1} its job id.
            var cases = string.Join(" ", jobs.Select((_, i) => $"WHEN {{{2 * i}}} THEN {{{(2 * i) + 1}}}"));
            var keys = string.Join(", ", jobs.Select((_, i) => $"{{{2 * i}}}"));
            await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(
                $"UPDATE \"TimerWakeups\" SET \"JobId\" = CASE \"Second\" {cases} END WHERE \"Second\" IN ({keys})",
                jobs.SelectMany(j => new object[] { j.Second, j.JobId }).ToArray()), ct);
        }
    }
}
