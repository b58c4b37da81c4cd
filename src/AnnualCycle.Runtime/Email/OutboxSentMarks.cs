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
/// Records one sent outbox row at a time on a connection of its own, so the mark of message k commits while the
/// envelope of message k + 1 goes back and forth on the SMTP connection (see <see cref="OutboxDispatcher"/>).
/// One UPDATE per row, only where the row is still Sending under the run's claim token.
/// </summary>
/// <remarks>
/// Cheap on purpose: a plain command built once from the EF model (table, columns, the providers' value mappings)
/// rather than an EF query per row. Its commits are not flushed to disk one by one (SQLite in WAL mode with
/// <c>synchronous=NORMAL</c>, PostgreSQL with <c>synchronous_commit=off</c> on this connection only): a committed mark
/// survives a crash of the service (the database has it), while a crash of the database server or the machine may
/// forget the marks of its last moments, and those messages are then sent again — a duplicate, never a loss.
/// </remarks>
public sealed class OutboxSentMarks(IDbContextFactory<AnnualCycleDbContext> contexts, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private AnnualCycleDbContext? _db;
    private DbCommand? _command;
    private Columns? _columns;
    private bool _sqlite;

    /// <summary>
    /// Marks the row Sent and returns when that is committed; retries while the database is away until
    /// <paramref name="ct"/> is cancelled. False when the row is no longer Sending under <paramref name="token"/>
    /// (another run recovered it: this run lost its lease).
    /// </summary>
    public async Task<bool> MarkSentAsync(Guid id, Guid token, DateTime sentAtUtc, int? statusCode, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var command = await CommandAsync(ct);
                var c = _columns!;
                command.Parameters.Clear();
                command.Parameters.Add(c.State.CreateParameter(command, "@sent", OutboxState.Sent, nullable: false));
                command.Parameters.Add(c.SentAt.CreateParameter(command, "@at", sentAtUtc, nullable: true));
                command.Parameters.Add(c.Status.CreateParameter(command, "@code", statusCode, nullable: true));
                command.Parameters.Add(c.Id.CreateParameter(command, "@id", id, nullable: false));
                command.Parameters.Add(c.State.CreateParameter(command, "@sending", OutboxState.Sending, nullable: false));
                command.Parameters.Add(c.Token.CreateParameter(command, "@token", (Guid?)token, nullable: true));
                return await command.ExecuteNonQueryAsync(ct) > 0;
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                logger.LogWarning("Marking outbox row {OutboxId} sent failed, trying again: {Error}", id, ex.Message);
                await ResetAsync();
                await Task.Delay(RetryDelay, ct);
            }
        }
    }

    private async Task<DbCommand> CommandAsync(CancellationToken ct)
    {
        if (_command is not null)
        {
            return _command;
        }

        var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = db.Database.GetDbConnection();
            var sqlite = db.Database.IsSqlite();
            await using (var setup = connection.CreateCommand())
            {
                // This connection's commits only: the rest of the service keeps its own durability settings. On SQLite
                // this connection also never checkpoints the WAL: a checkpoint runs inside the commit that crosses the
                // limit and took tens of milliseconds, a stall of the sender every ~200 marks; the dispatcher's other
                // writes (each claim, the lease) checkpoint instead, off the send path.
                setup.CommandText = sqlite ? "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0" : "SET synchronous_commit = off";
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
                    restore.CommandText = "PRAGMA wal_autocheckpoint=1000; PRAGMA synchronous=FULL";
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

    public async ValueTask DisposeAsync() => await ResetAsync();

    private sealed record Columns(RelationalTypeMapping Id, RelationalTypeMapping State, RelationalTypeMapping Token, RelationalTypeMapping SentAt, RelationalTypeMapping Status);
}
