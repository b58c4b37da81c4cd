using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace AnnualCycle.Runtime.Cycles;

/// <summary>
/// Writes new rows of the model's entities the fast way, inside the unit of work's transaction: binary <c>COPY</c> on
/// PostgreSQL, one prepared multi-row <c>INSERT</c> repeated on SQLite. EF Core saves tracked entities one statement
/// each (~10,000 for a cycle of 1,000 step instances), which made starting a cycle an order of magnitude slower than
/// the database. Columns, value conversions (enums as text, instants as UTC) and table names come from the EF model,
/// so a row written here reads back exactly as one EF Core saved. Rows are inserted, never tracked: the caller must
/// not change them afterwards in the same context.
/// </summary>
internal static class BulkRows
{
    /// <summary>SQLite allows 32,766 parameters per statement; a few hundred rows per statement is past the knee.</summary>
    private const int SqliteRowsPerStatement = 200;

    /// <summary>Inserts <paramref name="rows"/> (all of one entity type) on the context's connection and current transaction.</summary>
    /// <exception cref="DbUpdateException">The database refused a row (a unique index, a check, a foreign key): as EF Core reports it.</exception>
    public static async Task InsertAsync(AnnualCycleDbContext db, Type clrType, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = Table.Of(db, clrType);
        try
        {
            if (db.Database.IsNpgsql())
            {
                await CopyAsync(db, table, rows, ct);
            }
            else
            {
                await InsertSqliteAsync(db, table, rows, ct);
            }
        }
        catch (Exception ex) when (ex is PostgresException or SqliteException)
        {
            // The same exception EF Core would have thrown, so EngineWork's handling (unique index → 409) holds for both paths.
            throw new DbUpdateException($"Writing {rows.Count} rows to {table.Name} failed: {ex.Message}", ex);
        }
    }

    private static async Task CopyAsync(AnnualCycleDbContext db, Table table, IReadOnlyList<object> rows, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var sql = $"COPY {table.QuotedName} ({string.Join(", ", table.Columns.Select(c => c.QuotedName))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(sql, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in table.Columns)
            {
                var value = column.ProviderValue(row);
                switch (value)
                {
                    case null:
                        await importer.WriteNullAsync(ct);
                        break;
                    case string s:
                        await importer.WriteAsync(s, NpgsqlDbType.Text, ct);
                        break;
                    case Guid g:
                        await importer.WriteAsync(g, NpgsqlDbType.Uuid, ct);
                        break;
                    case int i:
                        await importer.WriteAsync(i, NpgsqlDbType.Integer, ct);
                        break;
                    case long l:
                        await importer.WriteAsync(l, NpgsqlDbType.Bigint, ct);
                        break;
                    case bool b:
                        await importer.WriteAsync(b, NpgsqlDbType.Boolean, ct);
                        break;
                    case DateTime d:
                        await importer.WriteAsync(d, NpgsqlDbType.TimestampTz, ct);
                        break;
                    default:
                        throw new NotSupportedException($"{table.Name}.{column.Name}: no binary COPY for {value.GetType().Name}.");
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static async Task InsertSqliteAsync(AnnualCycleDbContext db, Table table, IReadOnlyList<object> rows, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += SqliteRowsPerStatement)
            {
                var count = Math.Min(SqliteRowsPerStatement, rows.Count - start);
                DbCommand command;
                if (count == SqliteRowsPerStatement)
                {
                    // Prepared once, executed for every full chunk with new values.
                    full ??= Prepare(connection, transaction, table, count);
                    command = full;
                }
                else
                {
                    command = Prepare(connection, transaction, table, count);
                }

                try
                {
                    var p = 0;
                    for (var r = 0; r < count; r++)
                    {
                        foreach (var column in table.Columns)
                        {
                            command.Parameters[p++].Value = column.ProviderValue(rows[start + r]) ?? DBNull.Value;
                        }
                    }

                    await command.ExecuteNonQueryAsync(ct);
                }
                finally
                {
                    if (command != full)
                    {
                        await command.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction? transaction, Table table, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder($"INSERT INTO {table.QuotedName} ({string.Join(", ", table.Columns.Select(c => c.QuotedName))}) VALUES ");
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var name = "@p" + p++;
                sql.Append(c == 0 ? name : ", " + name);
                // The provider's own parameter set-up (e.g. GUIDs and instants as EF Core's text form on SQLite).
                command.Parameters.Add(table.Columns[c].Mapping.CreateParameter(command, name, null, nullable: true));
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }

    private sealed record Column(string Name, string QuotedName, IProperty Property, RelationalTypeMapping Mapping, ValueConverter? Converter)
    {
        public object? ProviderValue(object row)
        {
            var value = Property.GetGetter().GetClrValue(row);
            return value is null ? null : Converter is null ? value : Converter.ConvertToProvider(value);
        }
    }

    private sealed record Table(string Name, string QuotedName, IReadOnlyList<Column> Columns)
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(IModel, Type), Table> Cache = new();

        public static Table Of(AnnualCycleDbContext db, Type clrType) => Cache.GetOrAdd((db.Model, clrType), key =>
        {
            var entity = key.Item1.FindEntityType(key.Item2) ?? throw new InvalidOperationException($"{key.Item2.Name} is not in the model.");
            var name = entity.GetTableName() ?? throw new InvalidOperationException($"{entity.DisplayName()} has no table.");
            var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
            var sql = db.GetService<ISqlGenerationHelper>();
            var columns = entity.GetProperties()
                .Select(p => (Property: p, Column: p.GetColumnName(store)))
                .Where(x => x.Column is not null)
                .Select(x =>
                {
                    var mapping = (RelationalTypeMapping)x.Property.GetRelationalTypeMapping();
                    return new Column(x.Column!, sql.DelimitIdentifier(x.Column!), x.Property, mapping, mapping.Converter);
                })
                .ToList();
            return new Table(name, sql.DelimitIdentifier(name, entity.GetSchema()), columns);
        });
    }
}
