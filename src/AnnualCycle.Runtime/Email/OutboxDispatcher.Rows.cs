using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications.Sending;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

/// <summary>The rows of a pump in the database: claiming due rows, moving a row out of Sending, handing back what is left, and riding out a database that went away.</summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>
    /// After a pump: rows still Sending under our token were never handed over (or their sender was cancelled in the
    /// middle): after a server that could not be reached they wait for the retry rule like the message that found it
    /// away; otherwise they go back to Pending. False when the database could not be told.
    /// </summary>
    private async Task<bool> FinishAsync(Guid token, SendResult? unavailable, Tally tally)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            var left = await db.OutboxMessages.AsNoTracking().Where(o => o.State == OutboxState.Sending && o.ClaimToken == token).ToListAsync(CancellationToken.None);
            if (left.Count == 0)
            {
                return true;
            }

            if (unavailable is null)
            {
                await db.OutboxMessages.Where(o => o.State == OutboxState.Sending && o.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Pending).SetProperty(o => o.ClaimToken, (Guid?)null), CancellationToken.None);
                return true;
            }

            var now = clock.GetUtcNow();
            foreach (var row in left)
            {
                var first = new DateTimeOffset(row.FirstAttemptAtUtc ?? now.UtcDateTime, TimeSpan.Zero);
                var decision = retry.Next(Math.Max(1, row.Attempts), first, now, SendOutcome.TemporaryFailure);
                var state = decision.State == DeliveryState.Retrying ? OutboxState.Retrying : OutboxState.DeadLetter;
                if (await MarkAsync(row, token, state, decision.NextAttemptAt?.UtcDateTime, unavailable.StatusCode, unavailable.Detail, CancellationToken.None))
                {
                    if (state == OutboxState.Retrying)
                    {
                        metrics.Retrying.Add(1);
                        tally.Retrying();
                    }
                    else
                    {
                        metrics.DeadLettered.Add(1);
                        tally.DeadLettered();
                    }
                }
            }

            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not hand back the outbox rows of run {Token}; the next run recovers them: {Error}", token, ex.Message);
            return false;
        }
    }

    private async Task<List<OutboxMessageEntity>> ClaimAsync(Guid token, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            // Wait for the write lock inside SQLite while the marks' writer commits, not in Microsoft.Data.Sqlite's 150 ms
            // sleeps (which held up the claim of a batch every other time); commit without a flush, like the marks (a
            // claim lost with the machine puts its rows back to due: nothing was sent for them that their marks did not
            // also lose); a flushed claim held the write lock, and so every sender at its next mark, ~10 ms a batch. The
            // pooled connection gets SQLite's defaults back.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=30000; PRAGMA synchronous=NORMAL", ct);
        }

        try
        {
            List<Guid> claimed;
            if (!sqlite)
            {
                claimed = await ClaimOnAsync(db, token, recheck: true, ct);
            }
            else
            {
                // SQLite's writers are serial: in one write transaction the rows chosen are still due when they are stamped,
                // so the UPDATE needs only their keys (with the due conditions again its planner walked the whole Pending
                // index instead of the 200 keys: ~20 ms a claim at 30,000 pending). The senders' marks wait for this
                // transaction (the write gate), so it holds only the choice and the stamp; the rows are read after it.
                using var turn = await writeGate.EnterAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                claimed = await ClaimOnAsync(db, token, recheck: false, ct);
                await transaction.CommitAsync(ct);
            }

            if (claimed.Count == 0)
            {
                return [];
            }

            // By key only (a condition on State would make SQLite's planner walk that index instead of the keys); a row of
            // the batch is ours while it carries our token, and nothing but this run moves it out of Sending meanwhile.
            var rows = await db.OutboxMessages.AsNoTracking().Where(o => claimed.Contains(o.Id)).ToListAsync(ct);
            return rows.Where(o => o.ClaimToken == token && o.State == OutboxState.Sending).OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).ToList();
        }
        finally
        {
            if (sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA busy_timeout=0; PRAGMA synchronous=FULL", CancellationToken.None);
            }
        }
    }

    /// <returns>The keys of the rows chosen; those still due were stamped Sending with <paramref name="token"/>.</returns>
    private async Task<List<Guid>> ClaimOnAsync(AnnualCycleDbContext db, Guid token, bool recheck, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stuck = now - StuckAfter;
        // The oldest due rows, each kind of due by its own query so that each reads its index in order and stops at the
        // batch: Pending by (State, CreatedAtUtc, Id) without sorting the whole backlog (one query with the three
        // conditions OR-ed sorted every due row for every batch: ~30 ms a claim at 30,000 pending, the send path's
        // largest stall); Retrying and stuck Sending rows are few.
        var rows = db.OutboxMessages.AsNoTracking();
        var due = new List<(DateTime CreatedAtUtc, Guid Id)>(BatchSize);
        foreach (var kind in DueKinds(rows, now, stuck, token))
        {
            due.AddRange((await kind.OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).Select(o => new { o.CreatedAtUtc, o.Id }).Take(BatchSize).ToListAsync(ct))
                .Select(o => (o.CreatedAtUtc, o.Id)));
        }

        var candidates = due.OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).Take(BatchSize).Select(o => o.Id).ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        // With recheck the state condition is evaluated again by the UPDATE: on PostgreSQL a row claimed by a concurrent
        // batch meanwhile no longer matches after that batch commits, so each row goes to exactly one batch.
        var chosen = db.OutboxMessages.Where(o => candidates.Contains(o.Id));
        foreach (var claim in recheck ? DueKinds(chosen, now, stuck, token) : [chosen])
        {
            await claim.ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sending)
                .SetProperty(o => o.ClaimToken, token)
                .SetProperty(o => o.ClaimedAtUtc, now)
                .SetProperty(o => o.Attempts, o => o.Attempts + 1)
                .SetProperty(o => o.FirstAttemptAtUtc, o => o.FirstAttemptAtUtc ?? now), ct);
        }

        return candidates;
    }

    /// <summary>
    /// THE rule of which rows are due, one query per kind (the states are disjoint, so a row is in one at most): Pending;
    /// Retrying whose time has come; Sending under a claim older than <see cref="StuckAfter"/> that is not
    /// <paramref name="ownToken"/>'s (a row Sending under our own token is waiting in our pipeline, never stuck). One
    /// query per kind lets each read its index in order.
    /// </summary>
    private static IQueryable<OutboxMessageEntity>[] DueKinds(IQueryable<OutboxMessageEntity> rows, DateTime now, DateTime stuck, Guid? ownToken = null) =>
    [
        rows.Where(o => o.State == OutboxState.Pending),
        rows.Where(o => o.State == OutboxState.Retrying && o.NextAttemptAtUtc <= now),
        rows.Where(o => o.State == OutboxState.Sending && o.ClaimedAtUtc <= stuck && o.ClaimToken != ownToken),
    ];

    /// <summary>
    /// Runs <paramref name="work"/> again while the database is away (a restart: connections refused or broken), for
    /// up to <see cref="DatabaseAwayLimit"/>, so a short outage pauses the run instead of ending it.
    /// </summary>
    private async Task<T> WhileDatabaseAwayAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work();
            }
            catch (Exception ex) when (IsDatabaseAway(ex) && attempt * DatabaseRetryDelay < DatabaseAwayLimit && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Outbox: the database did not answer ({Error}); trying again", ex.Message);
                await Task.Delay(DatabaseRetryDelay, ct);
            }
        }
    }

    private static readonly TimeSpan DatabaseRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a run waits for a database that went away before it gives up (the minute sweep tries again).</summary>
    public static readonly TimeSpan DatabaseAwayLimit = TimeSpan.FromMinutes(2);

    private static bool IsDatabaseAway(Exception ex) => ex is System.Data.Common.DbException or DbUpdateException or InvalidOperationException or TimeoutException;

    /// <summary>Moves a row out of Sending, only if this run still holds it. False when it did not (another run took it over).</summary>
    private Task<bool> MarkAsync(OutboxMessageEntity row, Guid token, OutboxState state, DateTime? nextAttempt, int? status, string? error, CancellationToken ct) =>
        WhileDatabaseAwayAsync(() => MarkOnceAsync(row, token, state, nextAttempt, status, error, ct), ct);

    private async Task<bool> MarkOnceAsync(OutboxMessageEntity row, Guid token, OutboxState state, DateTime? nextAttempt, int? status, string? error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var detail = error is { Length: > 2000 } ? error[..2000] : error;
        var marked = await db.OutboxMessages
            .Where(o => o.Id == row.Id && o.State == OutboxState.Sending && o.ClaimToken == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, state)
                .SetProperty(o => o.ClaimToken, (Guid?)null)
                .SetProperty(o => o.NextAttemptAtUtc, nextAttempt)
                .SetProperty(o => o.LastStatusCode, status)
                .SetProperty(o => o.LastError, detail), ct);
        if (marked == 0)
        {
            logger.LogWarning("Outbox row {OutboxId} was taken over by another run before it could be marked {State}", row.Id, state);
        }

        return marked > 0;
    }
}
