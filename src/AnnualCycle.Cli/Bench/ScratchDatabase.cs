using System.Text;
using Npgsql;

namespace AnnualCycle.Cli.Bench;

/// <summary>
/// A PostgreSQL database of its own for one target of a run with <c>--postgres</c>: created on the same server beside the
/// database the connection string names (which only serves to connect), dropped when the target is done. A target leaves
/// what it made (a started cycle, 100,000 sent outbox rows) and the next refuses a database that holds cycles, so
/// `bench all --postgres` gives each target a fresh one. Needs the right to create databases (a throwaway bench cluster's
/// superuser has it).
/// </summary>
internal sealed class ScratchDatabase(string server, string name, string connectionString) : IAsyncDisposable
{
    /// <summary>The scratch database's connection string: the given one with its own database name.</summary>
    public string ConnectionString { get; } = connectionString;

    public static async Task<ScratchDatabase> CreateAsync(string postgres, string target, CancellationToken ct)
    {
        var given = new NpgsqlConnectionStringBuilder(postgres);
        var prefix = Identifier($"{given.Database ?? "bench"}_{target}_");
        var name = (prefix.Length > 50 ? prefix[..50] : prefix) + Guid.NewGuid().ToString("N")[..8]; // PostgreSQL names end at 63 bytes
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(ct);
        }

        var scratch = new NpgsqlConnectionStringBuilder(postgres) { Database = name };
        return new ScratchDatabase(postgres, name, scratch.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Lower-case letters, digits and underscores only: a name that needs no quoting rules beyond the quotes.</summary>
    private static string Identifier(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            name.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_');
        }

        return name.ToString();
    }
}
