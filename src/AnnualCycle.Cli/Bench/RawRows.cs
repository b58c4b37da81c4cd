using System.Data.Common;
using System.Text;
using Npgsql;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// The reference of the start-cycle target: the rows a cycle start wrote, read back raw (plain ADO.NET, every column
/// as the database returns it) and written again the fastest plain way, with no product code in between: binary
/// <c>COPY</c> on PostgreSQL (Npgsql's binary import), one prepared multi-row <c>INSERT</c> statement per table on
/// SQLite, all in one transaction.
/// </summary>
public sealed class RawRows
{
    /// <summary>Parents before children; deleted in the reverse order.</summary>
    private static readonly (string Table, string Where)[] Tables =
    [
        ("Cycles", "\"Id\" = @cycle"),
        ("StepInstances", "\"CycleId\" = @cycle"),
        ("Approvals", "\"StepInstanceId\" IN (SELECT \"Id\" FROM \"StepInstances\" WHERE \"CycleId\" = @cycle)"),
        ("Timers", "\"CycleId\" = @cycle"),
        ("OutboxMessages", "\"CycleId\" = @cycle"),
        ("Journal", "\"CycleId\" = @cycle"),
    ];

    private const int SqliteRowsPerStatement = 200;

    private readonly List<TableRows> _tables;

    private RawRows(List<TableRows> tables) => _tables = tables;

    public int Count => _tables.Sum(t => t.Rows.Count);

    /// <summary>Reads every row of the cycle (found by organisation, workflow and year) in every table a start writes.</summary>
    public static async Task<RawRows> ReadAsync(DbConnection connection, string organisationId, string workflowId, int year, CancellationToken ct)
    {
        var cycle = await CycleIdAsync(connection, organisationId, workflowId, year, ct) ?? throw new InvalidOperationException($"No cycle of {workflowId} {year}.");
        var tables = new List<TableRows>();
        foreach (var (table, where) in Tables)
        {
            await using var command = Command(connection, null, $"SELECT * FROM \"{table}\" WHERE {where}", cycle);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            // "character varying(100)" → "character varying": COPY names the type, the column keeps its length.
            var types = Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetDataTypeName(i).Split('(')[0].Trim()).ToList();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(ct))
            {
                var values = new object?[reader.FieldCount];
                reader.GetValues(values!);
                rows.Add(values.Select(v => v is DBNull ? null : v).ToArray());
            }

            tables.Add(new TableRows(table, columns, types, rows));
        }

        return new RawRows(tables);
    }

    /// <summary>Deletes the cycle and every row of it in the tables a start writes (children first).</summary>
    public static async Task DeleteAsync(DbConnection connection, string organisationId, string workflowId, int year, CancellationToken ct)
    {
        if (await CycleIdAsync(connection, organisationId, workflowId, year, ct) is not { } cycle)
        {
            return;
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        if (connection is NpgsqlConnection)
        {
            // The tables of a fresh benchmark database were never analyzed: PostgreSQL then took the Approvals delete
            // for a few rows and ran it as a nested loop probing the cycle's 10,000 steps once per approval, past the
            // 30 s command timeout at 10x. A hash join does it in milliseconds whatever the statistics say.
            await using var plan = connection.CreateCommand();
            plan.Transaction = tx;
            plan.CommandText = "SET LOCAL enable_nestloop = off";
            await plan.ExecuteNonQueryAsync(ct);
        }

        foreach (var (table, where) in Tables.Reverse())
        {
            await using var command = Command(connection, tx, $"DELETE FROM \"{table}\" WHERE {where}", cycle);
            await command.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>Writes the rows in one transaction; returns the seconds from its begin to its commit.</summary>
    public async Task<double> InsertAsync(DbConnection connection, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var table in _tables.Where(t => t.Rows.Count > 0))
        {
            if (connection is NpgsqlConnection npgsql)
            {
                await CopyAsync(npgsql, table, ct);
            }
            else
            {
                await InsertBatchesAsync(connection, tx, table, ct);
            }
        }

        await tx.CommitAsync(ct);
        stopwatch.Stop();
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, TableRows table, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in table.Rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await importer.WriteNullAsync(ct);
                }
                else
                {
                    await importer.WriteAsync(row[i], table.Types[i], ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    private static async Task InsertBatchesAsync(DbConnection connection, DbTransaction tx, TableRows table, CancellationToken ct)
    {
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < table.Rows.Count; start += SqliteRowsPerStatement)
            {
                var count = Math.Min(SqliteRowsPerStatement, table.Rows.Count - start);
                var command = count == SqliteRowsPerStatement ? full ??= Prepare(connection, tx, table, count) : Prepare(connection, tx, table, count);
                var p = 0;
                for (var r = start; r < start + count; r++)
                {
                    foreach (var value in table.Rows[r])
                    {
                        command.Parameters[p++].Value = value ?? DBNull.Value;
                    }
                }

                await command.ExecuteNonQueryAsync(ct);
                if (command != full)
                {
                    await command.DisposeAsync();
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

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, TableRows table, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        var sql = new StringBuilder($"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c}\""))}) VALUES ");
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < table.Columns.Count; c++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@p" + p++;
                command.Parameters.Add(parameter);
                sql.Append(c == 0 ? parameter.ParameterName : ", " + parameter.ParameterName);
            }

            sql.Append(')');
        }

        command.CommandText = sql.ToString();
        command.Prepare();
        return command;
    }

    private static async Task<object?> CycleIdAsync(DbConnection connection, string organisationId, string workflowId, int year, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\" FROM \"Cycles\" WHERE \"OrganisationId\" = @org AND \"WorkflowId\" = @workflow AND \"Year\" = @year";
        Add(command, "@org", organisationId);
        Add(command, "@workflow", workflowId);
        Add(command, "@year", year);
        var id = await command.ExecuteScalarAsync(ct);
        return id is null or DBNull ? null : id;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, object cycle)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        Add(command, "@cycle", cycle);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed record TableRows(string Name, IReadOnlyList<string> Columns, IReadOnlyList<string> Types, List<object?[]> Rows);
}
