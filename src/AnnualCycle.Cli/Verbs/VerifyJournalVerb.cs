using AnnualCycle.Runtime.Cycles.Journal;

namespace AnnualCycle.Cli.Verbs;

/// <summary>
/// <c>verify-journal</c>: re-computes the journal's hash chain in the database the host uses (same
/// configuration) and exits 0 when intact, 1 naming the first broken entry.
/// </summary>
public static class VerifyJournalVerb
{
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter stdout, TextWriter stderr)
    {
        // A check must not create what it checks: without this, the data folder and an empty SQLite file would be
        // made on the spot and "verified" as an intact, empty journal.
        if (DataServiceCollectionExtensions.ReadOptions(configuration).Provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(DataFolder.PathFrom(configuration), DataServiceCollectionExtensions.SqliteFileName);
            if (!File.Exists(file))
            {
                await stderr.WriteLineAsync($"No database at {file}: nothing to verify. Run the service once, or point DataFolder (or Database:Provider) at the service's database.");
                return 1;
            }
        }

        await using var provider = CliHost.Build(configuration);
        await using (var scope = provider.CreateAsyncScope())
        {
            if (!await scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>().Database.CanConnectAsync())
            {
                await stderr.WriteLineAsync("The database configured for the service does not answer; check Database:Provider and its connection string.");
                return 1;
            }
        }

        return await VerifyJournalCommand.RunAsync(provider, stdout);
    }
}
