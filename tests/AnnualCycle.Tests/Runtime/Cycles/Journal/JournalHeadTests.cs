using AnnualCycle.Cli;
using AnnualCycle.Runtime.Cycles.Journal;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Tests.Runtime.Cycles.Journal;

/// <summary>
/// What the hash chain alone cannot see, seen by the heads (the whole journal's and each cycle's count and newest hash):
/// the newest entries deleted, the chain rewritten with recomputed hashes, a head or the cycle row deleted. Each case is
/// done to a real database by hand, as an intruder with database access would, and checked with the real
/// <c>verify-journal</c> verb against the same database (its exit code and what it says).
/// </summary>
public abstract class JournalHeadTests : EngineTestBase
{
    /// <summary>The verb's options that point it at the harness's database.</summary>
    protected abstract string[] DatabaseArguments { get; }

    [Fact]
    public async Task VerifyJournal_SaysIntact_ForAnUntouchedJournal_AndCutWhenTheNewestEntriesAreDeleted()
    {
        await using var h = await CreateHarnessAsync();
        var (cycle, last) = await WorkAsync(h);
        var (code, stdout) = await VerifyAsync();
        Assert.Equal(0, code);
        Assert.Equal($"Journal intact: {last} entries.", stdout.Trim());

        // The newest two entries are the step's Submitted and Completed: a shorter chain that still links up.
        await h.DbAsync(db => db.Journal.Where(j => j.Sequence > last - 2).ExecuteDeleteAsync());

        (code, stdout) = await VerifyAsync();
        Assert.Equal(1, code);
        Assert.Contains($"The journal was cut: entries {last - 1}–{last} are missing (the head records {last} entries ending at entry {last}; {last - 2} remain, ending at entry {last - 2}).", stdout);
        Assert.Contains($"The journal of cycle {cycle.Id} ({cycle.Name}) was cut: its newest 2 entries, up to entry {last}, are missing", stdout);
        Assert.Equal(last - 1, (await h.DbAsync(db => JournalVerifier.VerifyAsync(db))).FirstBrokenSequence);
    }

    [Fact]
    public async Task VerifyJournal_ReportsAChainRewrittenWithRecomputedHashes()
    {
        await using var h = await CreateHarnessAsync();
        var (cycle, last) = await WorkAsync(h);

        // Change an entry and recompute every hash from it on: the chain itself verifies again.
        await h.DbAsync(async db =>
        {
            var entries = await db.Journal.Where(j => j.Sequence >= 2).OrderBy(j => j.Sequence).ToListAsync();
            var previous = (await db.Journal.AsNoTracking().SingleAsync(j => j.Sequence == 1)).Hash;
            entries[0].Comment = "ändrad i efterhand";
            foreach (var entry in entries)
            {
                entry.PreviousHash = previous;
                entry.Hash = JournalHash.Compute(entry);
                previous = entry.Hash;
            }

            return await db.SaveChangesAsync();
        });

        var (code, stdout) = await VerifyAsync();
        Assert.Equal(1, code);
        Assert.Contains($"The journal was rewritten: entry {last} has the hash ", stdout);
        Assert.Contains($"The journal of cycle {cycle.Id} ({cycle.Name}) was rewritten: entry {last} has the hash ", stdout);
        Assert.DoesNotContain("cut", stdout);
    }

    [Fact]
    public async Task VerifyJournal_ReportsADeletedHead_AndStillTheCutTheCycleHeadWasDeletedToHide()
    {
        await using var h = await CreateHarnessAsync();
        var (cycle, last) = await WorkAsync(h);

        await h.DbAsync(db => db.Journal.Where(j => j.Sequence == last).ExecuteDeleteAsync());
        await h.DbAsync(db => db.JournalHeads.Where(x => x.CycleId == cycle.Id).ExecuteDeleteAsync());

        var (code, stdout) = await VerifyAsync();
        Assert.Equal(1, code);
        Assert.Contains($"The journal of cycle {cycle.Id} ({cycle.Name}) has lost its head (deleted): nothing vouches for its {last - 1} entries ending at entry {last - 1}", stdout);
        Assert.Contains($"The journal was cut: entry {last} is missing (the head records {last} entries ending at entry {last}; {last - 1} remain, ending at entry {last - 1}).", stdout);

        await h.DbAsync(db => db.JournalHeads.ExecuteDeleteAsync());
        (code, stdout) = await VerifyAsync();
        Assert.Equal(1, code);
        Assert.Contains($"The journal has lost its head (deleted): nothing vouches for its {last - 1} entries ending at entry {last - 1}", stdout);
    }

    [Fact]
    public async Task VerifyJournal_ReportsADeletedCycle_WhoseJournalStaysBehind()
    {
        await using var h = await CreateHarnessAsync();
        var (cycle, last) = await WorkAsync(h);

        await h.DbAsync(db => db.Cycles.Where(c => c.Id == cycle.Id).ExecuteDeleteAsync());

        var (code, stdout) = await VerifyAsync();
        Assert.Equal(1, code);
        Assert.Contains($"Cycle {cycle.Id} was deleted: its journal holds {last} entries ending at entry {last}, but the cycle itself is gone.", stdout);
    }

    /// <summary>Starts the cycle and has one step submitted (and so completed: it has no approvals); returns the newest entry.</summary>
    private async Task<(CycleSummaryDto Cycle, long Last)> WorkAsync(EngineHarness h)
    {
        var cycle = await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await SubmitAsync(h, await StepAsync(h, "forutsattningar"));
        var last = await h.DbAsync(db => db.Journal.MaxAsync(j => j.Sequence));
        Assert.Equal(last, await h.DbAsync(db => db.Journal.CountAsync(j => j.CycleId == cycle.Id)));
        Assert.Equal(new[] { "Submitted", "Completed" }, await h.DbAsync(db => db.Journal.Where(j => j.Sequence > last - 2).OrderBy(j => j.Sequence).Select(j => j.Action).ToListAsync()));
        return (cycle, last);
    }

    private async Task<(int Code, string Stdout)> VerifyAsync()
    {
        var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["verify-journal", .. DatabaseArguments], stdout, new StringWriter());
        return (code, stdout.ToString());
    }
}

public sealed class JournalHeadSqliteTests : JournalHeadTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annualcycle-journal-").FullName;

    protected override string[] DatabaseArguments => ["--Database:Provider", "Sqlite", "--DataFolder", _folder];

    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync(folder: _folder);
}

public sealed class JournalHeadPostgreSqlTests : JournalHeadTests
{
    private string _connectionString = "";

    protected override string[] DatabaseArguments => ["--Database:Provider", "PostgreSql", "--Database:ConnectionString", _connectionString];

    protected override async Task<EngineHarness> CreateHarnessAsync()
    {
        _connectionString = await PostgresServer.CreateDatabaseAsync("journal");
        return await EngineHarness.PostgreSqlAsync(_connectionString);
    }
}
