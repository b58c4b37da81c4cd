namespace AnnualCycle.Data;

/// <summary>Which database the product's data lives in. Bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><see cref="DatabaseProvider.Sqlite"/> (zero set-up, a file in <c>DataFolder</c>) or <see cref="DatabaseProvider.PostgreSql"/>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>PostgreSQL connection string; falls back to <c>ConnectionStrings:AnnualCycle</c>. Ignored for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply migrations at start (default on).</summary>
    public bool MigrateOnStart { get; set; } = true;
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
