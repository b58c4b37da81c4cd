using System.Net;
using System.Text.Json;
using AnnualCycle.Tests.Infrastructure;

namespace AnnualCycle.Tests.Web;

/// <summary>The real host starts in both modes, migrates its schema and reports ready; ready is 503 when PostgreSQL is down.</summary>
[Collection(HostCollection.Name)]
public sealed class HostStartupTests
{
    [Fact]
    public async Task ZeroSetupMode_StartsOnSqliteInTheDataFolder_AndIsReady()
    {
        await using var factory = AnnualCycleFactory.Sqlite();
        using var client = factory.CreateClient();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = await ChecksAsync(ready);
        Assert.Contains("Sqlite", checks["database"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("InMemoryStorage", checks["jobs"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(factory.DataFolder, "annualcycle.db")), "the SQLite file is written to DataFolder");
    }

    [Fact]
    public async Task PostgreSqlMode_PutsDataAndJobsOnPostgreSql_AndIsReady()
    {
        var connectionString = await PostgresServer.CreateEmptyDatabaseAsync("host"); // the host itself creates both schemas
        await using var factory = AnnualCycleFactory.PostgreSql(connectionString);
        using var client = factory.CreateClient();

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = await ChecksAsync(ready);
        Assert.Contains("Npgsql", checks["database"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("PostgreSqlStorage", checks["jobs"].GetProperty("description").GetString(), StringComparison.Ordinal);
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select count(*) from information_schema.tables where table_schema = 'hangfire'", conn);
        Assert.True((long)(await cmd.ExecuteScalarAsync())! > 5, "Hangfire's tables live in their own schema");
    }

    [Fact]
    public async Task Ready_Answers503_WhenPostgreSqlIsStopped_AndRecoversWhenItIsBack()
    {
        // A cluster of its own: stopping the shared server would break every other test.
        await using var cluster = await ThrowawayPostgresCluster.StartNewAsync();
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(cluster.AdminConnectionString) { Pooling = true, Timeout = 3 }.ConnectionString;
        await using var factory = AnnualCycleFactory.PostgreSql(connectionString);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await cluster.StopAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        var down = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        var checks = await ChecksAsync(down);
        Assert.Equal("Unhealthy", checks["database"].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        await cluster.StartAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private static async Task<Dictionary<string, JsonElement>> ChecksAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
