using System.Data.Common;
using System.Threading.Channels;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// Records sent outbox rows as Sent for all the connections of one run, as a group commit: one writer task on one
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
public sealed class OutboxSentMarks : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private readonly IDbContextFactory<AnnualCycleDbContext> _contexts;
    private readonly ILogger _logger;
    private readonly EmailMetrics? _metrics;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writer;

    private AnnualCycleDbContext? _db;
    private DbCommand? _command;
    private Columns? _columns;
    private bool _sqlite;

    public OutboxSentMarks(IDbContextFactory<AnnualCycleDbContext> contexts, ILogger logger, EmailMetrics? metrics = null)
    {
        _contexts = contexts;
        _logger = logger;
        _metrics = metrics;
        _writer = Task.Run(WriteAsync, CancellationToken.None);
    }

    private sealed record Request(Guid Id, Guid Token, DateTime SentAtUtc, int? StatusCode, CancellationToken Cancel)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Marks the row Sent; the task ends when that is committed. Retries while the database is away until
    /// <paramref name="ct"/> is cancelled (then the task is cancelled and the row stays Sending). False when the row is
    /// no longer Sending under <paramref name="token"/> (another run recovered it: this run lost its lease).
    /// </summary>
    public Task<bool> MarkSentAsync(Guid id, Guid token, DateTime sentAtUtc, int? statusCode, CancellationToken ct)
    {
        var request = new Request(id, token, sentAtUtc, statusCode, ct);
        if (!_requests.Writer.TryWrite(request))
        {
            request.Done.TrySetException(new ObjectDisposedException(nameof(OutboxSentMarks)));
        }

        return request.Done.Task;
    }

    /// <summary>The writer: everything asked for since the last commit, in one transaction.</summary>
    private async Task WriteAsync()
    {
        var group = new List<Request>();
        try
        {
            while (await _requests.Reader.WaitToReadAsync(_stop.Token))
            {
                group.Clear();
                while (_requests.Reader.TryRead(out var request))
                {
                    if (request.Cancel.IsCancellationRequested)
                    {
                        request.Done.TrySetCanceled(request.Cancel);
                    }
                    else
                    {
                        group.Add(request);
                    }
                }

                if (group.Count > 0)
                {
                    await CommitAsync(group);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed while the database was away: the rows asked for stay Sending and go again.
        }
        finally
        {
            foreach (var request in group)
            {
                request.Done.TrySetCanceled();
            }

            while (_requests.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled();
            }
        }
    }

    private async Task CommitAsync(List<Request> group)
    {
        while (true)
        {
            // A request whose run was cancelled meanwhile is left Sending (the one duplicate); the rest are recorded.
            foreach (var cancelled in group.Where(r => r.Cancel.IsCancellationRequested))
            {
                cancelled.Done.TrySetCanceled(cancelled.Cancel);
            }

            group.RemoveAll(r => r.Cancel.IsCancellationRequested);
            if (group.Count == 0)
            {
                return;
            }

            try
            {
                var results = await ExecuteAsync(group);
                _metrics?.MarkCommits.Add(1);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(results[i]);
                }

                group.Clear();
                return;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                _logger.LogWarning("Marking {Count} outbox row(s) sent failed, trying again: {Error}", group.Count, ex.Message);
                await ResetAsync();
                await Task.Delay(RetryDelay, _stop.Token);
            }
        }
    }

    private async Task<bool[]> ExecuteAsync(List<Request> group)
    {
        var command = await CommandAsync();
        var results = new bool[group.Count];
        if (group.Count == 1)
        {
            results[0] = await ExecuteOneAsync(command, group[0]);
            return results;
        }

        var connection = command.Connection!;
        if (!_sqlite && connection.CanCreateBatch)
        {
            // One round trip for the whole group (PostgreSQL runs a batch as one implicit transaction), each row's own
            // answer in its command's count. Round trips, not the database's work, were the cost of a mark there.
            await using var batch = connection.CreateBatch();
            foreach (var request in group)
            {
                var one = batch.CreateBatchCommand();
                one.CommandText = command.CommandText;
                AddParameters(command, one.Parameters, request);
                batch.BatchCommands.Add(one);
            }

            await batch.ExecuteNonQueryAsync(_stop.Token);
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = batch.BatchCommands[i].RecordsAffected > 0;
            }

            return results;
        }

        await using var transaction = await connection.BeginTransactionAsync(_stop.Token);
        command.Transaction = transaction;
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                results[i] = await ExecuteOneAsync(command, group[i]);
            }

            await transaction.CommitAsync(_stop.Token);
        }
        finally
        {
            command.Transaction = null;
        }

        return results;
    }

    private async Task<bool> ExecuteOneAsync(DbCommand command, Request request)
    {
        command.Parameters.Clear();
        AddParameters(command, command.Parameters, request);
        return await command.ExecuteNonQueryAsync(_stop.Token) > 0;
    }

    /// <summary>The parameters of one row's UPDATE, made by <paramref name="command"/>'s provider with the model's value mappings.</summary>
    private void AddParameters(DbCommand command, DbParameterCollection parameters, Request request)
    {
        var c = _columns!;
        parameters.Add(c.State.CreateParameter(command, "@sent", OutboxState.Sent, nullable: false));
        parameters.Add(c.SentAt.CreateParameter(command, "@at", request.SentAtUtc, nullable: true));
        parameters.Add(c.Status.CreateParameter(command, "@code", request.StatusCode, nullable: true));
        parameters.Add(c.Id.CreateParameter(command, "@id", request.Id, nullable: false));
        parameters.Add(c.State.CreateParameter(command, "@sending", OutboxState.Sending, nullable: false));
        parameters.Add(c.Token.CreateParameter(command, "@token", (Guid?)request.Token, nullable: true));
    }

    private async Task<DbCommand> CommandAsync()
    {
        if (_command is not null)
        {
            return _command;
        }

        var ct = _stop.Token;
        var db = await _contexts.CreateDbContextAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var sqlite = db.Database.IsSqlite();
            await using (var setup = connection.CreateCommand())
            {
                // This connection's commits only: the rest of the service keeps its own durability settings. On SQLite
                // this connection also never checkpoints the WAL: a checkpoint runs inside the commit that crosses the
                // limit and took tens of milliseconds, a stall of the senders every ~200 marks; the dispatcher's other
                // writes (each claim, the lease) checkpoint instead, off the send path. It waits for the write lock
                // inside SQLite (busy_timeout) rather than in Microsoft.Data.Sqlite's 150 ms sleeps.
                setup.CommandText = sqlite
                    ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=30000"
                    : "SET synchronous_commit = off";
                await setup.ExecuteNonQueryAsync(ct);
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
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task ResetAsync()
    {
        if (_command is not null)
        {
            if (_sqlite)
            {
                // The connection goes back to the pool: give it back with SQLite's defaults for the rest of the service.
                try
                {
                    await using var restore = _command.Connection!.CreateCommand();
                    restore.CommandText = "PRAGMA wal_autocheckpoint=1000; PRAGMA synchronous=FULL; PRAGMA busy_timeout=0";
                    await restore.ExecuteNonQueryAsync();
                }
                catch (Exception ex) when (ex is DbException or InvalidOperationException)
                {
                    // A broken connection: it is being thrown away anyway.
                }
            }

            await _command.DisposeAsync();
            _command = null;
        }

        if (_db is not null)
        {
            try
            {
                await _db.DisposeAsync();
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // A broken connection closing badly: it is being thrown away anyway.
            }

            _db = null;
        }
    }

    /// <summary>Commits what was asked for (unless the database is away: then those rows stay Sending), then lets go of the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        // Everything asked for is normally committed at once; a database that is away is not waited for here.
        if (await Task.WhenAny(_writer, Task.Delay(DisposeWait)) != _writer)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await _writer;
        }
        catch (OperationCanceledException)
        {
            // Cancelled while the database was away.
        }

        await ResetAsync();
        _stop.Dispose();
    }

    private sealed record Columns(RelationalTypeMapping Id, RelationalTypeMapping State, RelationalTypeMapping Token, RelationalTypeMapping SentAt, RelationalTypeMapping Status);
}
