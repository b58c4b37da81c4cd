using AnnualCycle.Data;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Cycles.Journal;

/// <summary>The outcome of a journal check: <see cref="FirstBrokenSequence"/> names the first entry that does not fit the chain.</summary>
public sealed record JournalVerification(bool Ok, long? FirstBrokenSequence, string Message, long EntriesChecked);

/// <summary>Walks the whole chain in sequence order and recomputes every hash.</summary>
public static class JournalVerifier
{
    public static async Task<JournalVerification> VerifyAsync(AnnualCycleDbContext db, CancellationToken ct = default)
    {
        var previousHash = JournalHash.Genesis;
        long expected = 1;
        long checkedCount = 0;
        const int page = 2000;
        long after = 0;
        while (true)
        {
            var batch = await db.Journal.AsNoTracking().Where(j => j.Sequence > after).OrderBy(j => j.Sequence).Take(page).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var entry in batch)
            {
                if (entry.Sequence != expected)
                {
                    // A gap: entry `expected` was deleted (or sequences were rewritten).
                    return new(false, expected, $"Journal entry {expected} is missing (the next entry found is {entry.Sequence}).", checkedCount);
                }

                if (entry.PreviousHash != previousHash)
                {
                    return new(false, entry.Sequence, $"Journal entry {entry.Sequence} does not follow entry {entry.Sequence - 1}: the chain is broken (an entry was deleted or replaced).", checkedCount);
                }

                if (JournalHash.Compute(entry) != entry.Hash)
                {
                    return new(false, entry.Sequence, $"Journal entry {entry.Sequence} was changed after it was written: its hash does not match its content.", checkedCount);
                }

                previousHash = entry.Hash;
                expected++;
                checkedCount++;
                after = entry.Sequence;
            }
        }

        return new(true, null, $"Journal intact: {checkedCount} entries.", checkedCount);
    }
}
