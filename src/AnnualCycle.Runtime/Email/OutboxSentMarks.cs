using System.Data.Common;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// Records sent outbox rows as Sent for all the connections of one run, as a group commit: one writer thread on one
/// database connection of its own takes every mark asked for since its last commit and records them in ONE
/// transaction (one UPDATE per row, only where the row is still Sending under the run's claim token; on PostgreSQL the
/// group's UPDATEs go as one batch, one round trip). Each connection
/// waits only for its own previous mark (see <see cref="OutboxDispatcher"/>); with several connections one commit
/// records several marks, so more connections do not mean more commits.
/// </summary>
/// <remarks>
/// Cheap on purpose: a plain command built once from the EF model (table, columns, the providers' value mappings)
/// rather than an EF query per row. Its commits are not flushed to disk one by one (SQLite in WAL mode with
/// <c>synchronous=NORMAL</c>, PostgreSQL with <c>synchronous_commit=off</c> on this connection only): a committed mark
/// survives a crash of the service (the database has it), while a crash of the database server or the machine may
/// forget the marks of its last moments, and those messages are then sent again — a duplicate, never a loss.
/// On SQLite the connection waits for the write lock inside SQLite (<c>busy_timeout</c>): without it
/// Microsoft.Data.Sqlite sleeps 150 ms whenever a claim holds the lock, which cost ~0.75 ms a message on average.
/// </remarks>
public sealed partial class OutboxSentMarks : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private readonly IDbContextFactory<AnnualCycleDbContext> _contexts;
    private readonly ILogger _logger;
    private readonly EmailMetrics? _metrics;
    private readonly OutboxWriteGate? _writeGate;
    private readonly object _lock = new();
    private readonly List<Request> _asked = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _closed;

    private AnnualCycleDbContext? _db;
    private DbCommand? _command;
    private Columns? _columns;
    private bool _sqlite;

    /// <param name="writeGate">On SQLite, the turn the dispatcher's claims take too (see <see cref="OutboxWriteGate"/>); null: SQLite's lock only.</param>
    public OutboxSentMarks(IDbContextFactory<AnnualCycleDbContext> contexts, ILogger logger, EmailMetrics? metrics = null, OutboxWriteGate? writeGate = null)
    {
        _contexts = contexts;
        _logger = logger;
        _metrics = metrics;
        _writeGate = writeGate;
        // A thread of its own, not the thread pool's: a mark is on the send path (the next message's end of data waits for
        // it), and handing it to the pool and back cost two queue waits behind the renderer's and the SMTP client's work
        // items, several times the commit itself. The database calls on it are synchronous.
        new Thread(Write) { IsBackground = true, Name = "outbox-sent-marks" }.Start();
    }

    private sealed class Request(Mark mark)
    {
        public Mark Mark { get; } = mark;
    }

    /// <summary>
    /// Marks the row Sent; the task ends when that is committed. Retries while the database is away until
    /// <paramref name="ct"/> is cancelled (then the task is cancelled and the row stays Sending). False when the row is
    /// no longer Sending under <paramref name="token"/> (another run recovered it: this run lost its lease).
    /// </summary>
    public Task<bool> MarkSentAsync(Guid id, Guid token, DateTime sentAtUtc, int? statusCode, CancellationToken ct) =>
        Ask(id, token, sentAtUtc, statusCode, ct).Marked;

    /// <summary>
    /// Asks for the row's mark. <paramref name="onMarked"/> runs on the writer, once the answer is known and before the
    /// mark's tasks complete (so whoever waits for them sees its effects).
    /// </summary>
    public Mark Ask(Guid id, Guid token, DateTime sentAtUtc, int? statusCode, CancellationToken ct, Action<bool>? onMarked = null)
    {
        var mark = new Mark(id, token, sentAtUtc, statusCode, ct, onMarked);
        lock (_lock)
        {
            if (_closed)
            {
                mark.Cancelled(new ObjectDisposedException(nameof(OutboxSentMarks)));
                return mark;
            }

            _asked.Add(new Request(mark));
            Monitor.Pulse(_lock);
        }

        return mark;
    }

    /// <summary>The writer: everything asked for since the last commit, in one transaction.</summary>
    private void Write()
    {
        var group = new List<Request>();
        try
        {
            while (true)
            {
                group.Clear();
                lock (_lock)
                {
                    while (_asked.Count == 0 && !_closed)
                    {
                        Monitor.Wait(_lock);
                    }

                    if (_asked.Count == 0)
                    {
                        break; // closed, and everything asked for is answered
                    }

                    group.AddRange(_asked);
                    _asked.Clear();
                }

                Commit(group);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed while the database was away: the rows asked for stay Sending and go again.
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "The outbox's Sent marks stopped; the rows asked for stay Sending and go again");
        }
        finally
        {
            foreach (var request in group)
            {
                request.Mark.Cancelled();
            }

            lock (_lock)
            {
                _closed = true;
                foreach (var left in _asked)
                {
                    left.Mark.Cancelled();
                }

                _asked.Clear();
            }

            Reset();
            _finished.TrySetResult();
        }
    }

    private void Commit(List<Request> group)
    {
        while (true)
        {
            // A request whose run was cancelled meanwhile is left Sending (the one duplicate); the rest are recorded.
            foreach (var cancelled in group.Where(r => r.Mark.Cancel.IsCancellationRequested))
            {
                cancelled.Mark.Cancelled();
            }

            group.RemoveAll(r => r.Mark.Cancel.IsCancellationRequested);
            if (group.Count == 0)
            {
                return;
            }

            try
            {
                var results = Execute(group);
                _metrics?.MarkCommits.Add(1);
                for (var i = 0; i < group.Count; i++)
                {
                    Answer(group[i].Mark, results[i]);
                }

                group.Clear();
                return;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                _logger.LogWarning("Marking {Count} outbox row(s) sent failed, trying again: {Error}", group.Count, ex.Message);
                Reset();
                if (_stop.Token.WaitHandle.WaitOne(RetryDelay))
                {
                    throw new OperationCanceledException(_stop.Token);
                }
            }
        }
    }

    private void Answer(Mark mark, bool marked)
    {
        try
        {
            mark.OnMarked?.Invoke(marked);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Bookkeeping of the Sent mark of outbox row {OutboxId} failed", mark.Id);
        }

        mark.Complete(marked);
    }

    private bool[] Execute(List<Request> group)
    {
        var command = Command();
        using var turn = _sqlite ? _writeGate?.Enter(_stop.Token) : null;
        var results = new bool[group.Count];
        if (group.Count == 1)
        {
            results[0] = ExecuteOne(command, group[0].Mark);
            return results;
        }

        var connection = command.Connection!;
        if (!_sqlite && connection.CanCreateBatch)
        {
            // One round trip for the whole group (PostgreSQL runs a batch as one implicit transaction), each row's own
            // answer in its command's count. Round trips, not the database's work, were the cost of a mark there.
            using var batch = connection.CreateBatch();
            foreach (var request in group)
            {
                var one = batch.CreateBatchCommand();
                one.CommandText = command.CommandText;
                AddParameters(command, one.Parameters, request.Mark);
                batch.BatchCommands.Add(one);
            }

            batch.ExecuteNonQuery();
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = batch.BatchCommands[i].RecordsAffected > 0;
            }

            return results;
        }

        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = ExecuteOne(command, group[i].Mark);
            }

            transaction.Commit();
        }
        finally
        {
            command.Transaction = null;
        }

        return results;
    }

    private bool ExecuteOne(DbCommand command, Mark mark)
    {
        command.Parameters.Clear();
        AddParameters(command, command.Parameters, mark);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>The parameters of one row's UPDATE, made by <paramref name="command"/>'s provider with the model's value mappings.</summary>
    private void AddParameters(DbCommand command, DbParameterCollection parameters, Mark request)
    {
        var c = _columns!;
        parameters.Add(c.State.CreateParameter(command, "@sent", OutboxState.Sent, nullable: false));
        parameters.Add(c.SentAt.CreateParameter(command, "@at", request.SentAtUtc, nullable: true));
        parameters.Add(c.Status.CreateParameter(command, "@code", request.StatusCode, nullable: true));
        parameters.Add(c.Id.CreateParameter(command, "@id", request.Id, nullable: false));
        parameters.Add(c.State.CreateParameter(command, "@sending", OutboxState.Sending, nullable: false));
        parameters.Add(c.Token.CreateParameter(command, "@token", (Guid?)request.Token, nullable: true));
    }

    private DbCommand Command()
    {
        if (_command is not null)
        {
            return _command;
        }

        var db = _contexts.CreateDbContext();
        try
        {
            db.Database.OpenConnection();
            var connection = db.Database.GetDbConnection();
            var sqlite = db.Database.IsSqlite();
            using (var setup = connection.CreateCommand())
            {
                // This connection's commits only: the rest of the service keeps its own durability settings. On SQLite
                // this connection also never checkpoints the WAL: a checkpoint runs inside the commit that crosses the
                // limit and took tens of milliseconds, a stall of the senders every ~200 marks; the dispatcher's other
                // writes (each claim, the lease) checkpoint instead, off the send path. It waits for the write lock
                // inside SQLite (busy_timeout) rather than in Microsoft.Data.Sqlite's 150 ms sleeps.
                setup.CommandText = sqlite
                    ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=30000"
                    : "SET synchronous_commit = off";
                setup.ExecuteNonQuery();
            }

            var entity = db.Model.FindEntityType(typeof(OutboxMessageEntity))!;
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            IProperty Property(string name) => entity.FindProperty(name)!;
            string Column(string name) => sql.DelimitIdentifier(Property(name).GetColumnName(table)!);
            _columns = new Columns(
                Property(nameof(OutboxMessageEntity.Id)).GetRelationalTypeMapping(),
                Property(nameof(OutboxMessageEntity.State)).GetRelationalTypeMapping(),
                Property(nameof(OutboxMessageEntity.ClaimToken)).GetRelationalTypeMapping(),
                Property(nameof(OutboxMessageEntity.SentAtUtc)).GetRelationalTypeMapping(),
                Property(nameof(OutboxMessageEntity.LastStatusCode)).GetRelationalTypeMapping());
            var command = connection.CreateCommand();
            command.CommandText =
                $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET {Column("State")} = @sent, {Column("ClaimToken")} = NULL, " +
                $"{Column("NextAttemptAtUtc")} = NULL, {Column("SentAtUtc")} = @at, {Column("LastStatusCode")} = @code, {Column("LastError")} = NULL " +
                $"WHERE {Column("Id")} = @id AND {Column("State")} = @sending AND {Column("ClaimToken")} = @token";
            _db = db;
            _command = command;
            _sqlite = sqlite;
            return command;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private void Reset()
    {
        if (_command is not null)
        {
            if (_sqlite)
            {
                // The connection goes back to the pool: give it back with SQLite's defaults for the rest of the service.
                try
                {
                    using var restore = _command.Connection!.CreateCommand();
                    restore.CommandText = "PRAGMA wal_autocheckpoint=1000; PRAGMA synchronous=FULL; PRAGMA busy_timeout=0";
                    restore.ExecuteNonQuery();
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    // A broken connection: it is being thrown away anyway.
                }
            }

            _command.Dispose();
            _command = null;
        }

        if (_db is not null)
        {
            try
            {
                _db.Dispose();
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // A broken connection closing badly: it is being thrown away anyway.
            }

            _db = null;
        }
    }

    /// <summary>
    /// Commits what was asked for (unless the database is away: then those rows stay Sending), then lets go of the
    /// connection. A writer stuck in a call to a database that is away is left to end on its own (it then cancels what
    /// it holds and closes its connection); nothing is waited for longer than a few seconds.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _closed = true;
            Monitor.Pulse(_lock);
        }

        // Everything asked for is normally committed at once; a database that is away is not waited for here.
        if (await Task.WhenAny(_finished.Task, Task.Delay(DisposeWait)) != _finished.Task)
        {
            await _stop.CancelAsync();
            await Task.WhenAny(_finished.Task, Task.Delay(DisposeWait));
        }
    }

    private sealed record Columns(RelationalTypeMapping Id, RelationalTypeMapping State, RelationalTypeMapping Token, RelationalTypeMapping SentAt, RelationalTypeMapping Status);
}
