namespace AnnualCycle.Runtime.Hosting;

public static class DatabaseMigrator
{
    /// <summary>Creates or migrates the schema of the configured provider.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DatabaseOptions>();
        if (!options.MigrateOnStart)
        {
            return;
        }

        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            logger.LogInformation("Applying {Count} migration(s) on {Provider}: {Migrations}", pending.Count, db.Database.ProviderName, string.Join(", ", pending));
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            // Write-ahead logging (persistent for the file): readers do not wait for the writer, and a commit that need
            // not be flushed at once (the outbox's per-message "sent" marks, OutboxSentMarks) costs microseconds rather
            // than the ~10 ms of a flush on this kind of disk. Other connections keep synchronous=FULL.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL", cancellationToken);
        }
    }
}
