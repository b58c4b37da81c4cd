namespace AnnualCycle.Runtime.Cycles.Journal;

/// <summary>
/// <c>verify-journal</c>: exit 0 when the chain is intact, 1 naming the first broken entry. The CLI builds
/// the service provider from the host's configuration (so it opens the same database) and calls this.
/// </summary>
public static class VerifyJournalCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, TextWriter? output = null, CancellationToken ct = default)
    {
        output ??= Console.Out;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnnualCycleDbContext>();
        var result = await JournalVerifier.VerifyAsync(db, ct);
        await output.WriteLineAsync(result.Message);
        return result.Ok ? 0 : 1;
    }
}
