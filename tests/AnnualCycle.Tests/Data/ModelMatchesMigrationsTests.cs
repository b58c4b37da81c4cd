using AnnualCycle.Data;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Data;

/// <summary>
/// The entity configurations and the committed migrations say the same schema, on both providers: a change to a
/// configuration (a column's length, an index, a key) that is not followed by <c>ops/add-migration.sh</c> fails here
/// rather than at the first deployment. Built from each provider's design-time factory, as <c>dotnet ef</c> builds it.
/// </summary>
public sealed class ModelMatchesMigrationsTests
{
    [Fact]
    public void Sqlite_HasNoModelChanges_BeyondItsMigrations()
    {
        using var db = new AnnualCycle.Migrations.Sqlite.DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the SQLite migrations' snapshot: run ops/add-migration.sh");
    }

    [Fact]
    public void PostgreSql_HasNoModelChanges_BeyondItsMigrations()
    {
        using var db = new AnnualCycle.Migrations.PostgreSql.DesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "the model differs from the PostgreSQL migrations' snapshot: run ops/add-migration.sh");
    }
}
