using Npgsql;
using Testcontainers.PostgreSql;

namespace AnnualCycle.Tests.Infrastructure;

/// <summary>
/// The one PostgreSQL server the test run uses, found in this order:
/// 1. a connection string in <c>ANNUALCYCLE_TEST_POSTGRES</c> (a role that may create databases);
/// 2. Testcontainers, when a Docker endpoint exists (<c>DOCKER_HOST</c> or <c>/var/run/docker.sock</c>);
/// 3. a throwaway cluster from the machine's PostgreSQL binaries (<see cref="ThrowawayPostgresCluster"/>).
/// When none is possible, every test that needs it fails with a message saying how to get one — never a quiet skip.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "ANNUALCYCLE_TEST_POSTGRES";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static IAsyncDisposable? _owned;

    /// <summary>Where the server came from, for test output: "environment", "testcontainers" or "throwaway cluster".</summary>
    public static string Origin { get; private set; } = "";

    public static async Task<string> AdminConnectionStringAsync()
    {
        if (_adminConnectionString is not null)
        {
            return _adminConnectionString;
        }

        await Gate.WaitAsync();
        try
        {
            _adminConnectionString ??= await StartAsync();
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh, empty database on the shared server; returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"{Sanitise(prefix)}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    private static async Task<string> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Origin = "environment";
            return fromEnvironment;
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock"))
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            await container.StartAsync();
            _owned = container;
            Origin = "testcontainers";
            return container.GetConnectionString();
        }

        if (ThrowawayPostgresCluster.FindBinaries() is not null)
        {
            var cluster = await ThrowawayPostgresCluster.StartNewAsync();
            _owned = cluster;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Origin = "throwaway cluster";
            return cluster.AdminConnectionString;
        }

        throw new InvalidOperationException(
            "These tests need a PostgreSQL server and none was found. Either set " + EnvironmentVariable +
            " to a connection string of a role that may CREATE DATABASE (e.g. 'Host=127.0.0.1;Port=5432;Username=postgres;Password=…'), " +
            "or run a Docker engine (Testcontainers), or install the server binaries: 'apt-get install -y postgresql'.");
    }

    private static string Sanitise(string s) => new(s.Where(char.IsLetterOrDigit).Take(20).ToArray());

    internal static IAsyncDisposable? Owned => _owned;
}

/// <summary>Class fixture: each test class that uses it gets its own database on the shared server.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync("t");

    public Task DisposeAsync() => Task.CompletedTask;
}
