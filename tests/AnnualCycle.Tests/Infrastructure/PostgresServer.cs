using AnnualCycle.Runtime.Jobs;
using Hangfire.PostgreSql;
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
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _adminConnectionString;
    private static string? _template;
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

    /// <summary>
    /// A fresh database on the shared server, cloned (<c>CREATE DATABASE … TEMPLATE</c>) from the run's template, which
    /// holds the product's schema (its EF Core migrations) and Hangfire's: migrated once per test run, not once per test.
    /// Returns its connection string.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix) => await CreateAsync(prefix, await TemplateAsync());

    /// <summary>A fresh, empty database (no schema), for a test of what the service does to an empty one.</summary>
    public static Task<string> CreateEmptyDatabaseAsync(string prefix) => CreateAsync(prefix, template: null);

    private static async Task<string> CreateAsync(string prefix, string? template)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"{Sanitise(prefix)}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            var from = template is null ? "" : $" TEMPLATE \"{template}\"";
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"{from}", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>
    /// The template: an empty database migrated by the product's own migrator (the composition root on PostgreSQL) with
    /// Hangfire's objects installed, then closed to connections, since PostgreSQL clones only a database nobody is in.
    /// </summary>
    private static async Task<string> TemplateAsync()
    {
        if (_template is not null)
        {
            return _template;
        }

        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null)
            {
                return _template;
            }

            var name = "annualcycle_template_" + Guid.NewGuid().ToString("N")[..12];
            var admin = await AdminConnectionStringAsync();
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
            // No pooling: every connection of the migration is really closed when it is disposed.
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
            await using (var services = await PeopleServices.BuildAsync(
                environment: "Testing", settings: [("Database:Provider", "PostgreSql"), ("Database:ConnectionString", connectionString)]))
            {
                // BuildAsync migrates (DatabaseMigrator, as the hosts do at start).
            }

            await using (var conn = new NpgsqlConnection(connectionString))
            {
                await conn.OpenAsync();
                PostgreSqlObjectsInstaller.Install(conn, HangfireSetup.Schema);
            }

            await ExecuteAsync(admin, $"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false");
            if (Origin == "environment")
            {
                // A server that outlives the run: leave no template behind (the throwaway ones go as a whole).
                AppDomain.CurrentDomain.ProcessExit += (_, _) => ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\"").GetAwaiter().GetResult();
            }

            _template = name;
            return name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
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

/// <summary>Class fixture: each test class that uses it gets its own database on the shared server, cloned from the template.</summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() => ConnectionString = await PostgresServer.CreateDatabaseAsync("t");

    public Task DisposeAsync() => Task.CompletedTask;
}
