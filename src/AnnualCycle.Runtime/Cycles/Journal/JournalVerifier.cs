namespace AnnualCycle.Runtime.Cycles.Journal;

/// <summary>
/// The outcome of a journal check. <see cref="FirstBrokenSequence"/> names the first entry that does not fit the chain
/// (for a cut tail, the first entry missing); <see cref="Problems"/> lists every finding, one sentence each, and
/// <see cref="Message"/> is them joined by line breaks (or "Journal intact: N entries.").
/// </summary>
internal sealed record JournalVerification(bool Ok, long? FirstBrokenSequence, string Message, long EntriesChecked)
{
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <summary>
/// Walks the whole chain in sequence order and recomputes every hash, then compares where the chain ends with the heads
/// (<see cref="JournalHeadEntity"/>): the whole journal's and each cycle's entry count and newest hash. The chain alone
/// catches an edited, inserted or deleted entry in the middle; the heads catch what the chain cannot see: newest entries
/// deleted (a cut tail still chains), a chain rewritten with recomputed hashes, and a head deleted to hide either.
/// </summary>
internal static class JournalVerifier
{
    public static async Task<JournalVerification> VerifyAsync(AnnualCycleDbContext db, CancellationToken ct = default)
    {
        var previousHash = JournalHash.Genesis;
        long expected = 1;
        long checkedCount = 0;
        const int page = 2000;
        long after = 0;
        // Where each chain actually ends: the whole journal under Guid.Empty, each cycle under its id.
        var ends = new Dictionary<Guid, (long Count, long LastSequence, string LastHash)>();
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
                    return Broken(expected, $"Journal entry {expected} is missing (the next entry found is {entry.Sequence}).", checkedCount);
                }

                if (entry.PreviousHash != previousHash)
                {
                    return Broken(entry.Sequence, $"Journal entry {entry.Sequence} does not follow entry {entry.Sequence - 1}: the chain is broken (an entry was deleted or replaced).", checkedCount);
                }

                if (JournalHash.Compute(entry) != entry.Hash)
                {
                    return Broken(entry.Sequence, $"Journal entry {entry.Sequence} was changed after it was written: its hash does not match its content.", checkedCount);
                }

                Extend(ends, JournalHeadEntity.WholeJournal, entry);
                if (entry.CycleId is { } cycleId)
                {
                    Extend(ends, cycleId, entry);
                }

                previousHash = entry.Hash;
                expected++;
                checkedCount++;
                after = entry.Sequence;
            }
        }

        var heads = await db.JournalHeads.AsNoTracking().ToDictionaryAsync(h => h.CycleId, ct);
        var cycleNames = await db.Cycles.AsNoTracking().Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var problems = new List<string>();
        long? firstBroken = null;
        foreach (var key in heads.Keys.Union(ends.Keys).OrderBy(k => k == JournalHeadEntity.WholeJournal ? 0 : 1).ThenBy(k => k))
        {
            var chain = key == JournalHeadEntity.WholeJournal ? "The journal" : $"The journal of cycle {key}" + (cycleNames.TryGetValue(key, out var name) ? $" ({name})" : "");
            var found = ends.TryGetValue(key, out var end) ? end : (Count: 0L, LastSequence: 0L, LastHash: JournalHash.Genesis);
            if (key != JournalHeadEntity.WholeJournal && !cycleNames.ContainsKey(key))
            {
                // The product never deletes a cycle: a journal (or head) whose cycle row is gone means the row was removed by hand.
                problems.Add($"Cycle {key} was deleted: its journal holds {Entries(found.Count)}{(found.Count > 0 ? $" ending at entry {found.LastSequence}" : "")}, but the cycle itself is gone.");
                firstBroken = found.Count > 0 ? Min(firstBroken, found.LastSequence) : firstBroken;
            }

            if (!heads.TryGetValue(key, out var head))
            {
                problems.Add($"{chain} has lost its head (deleted): nothing vouches for its {Entries(found.Count)} ending at entry {found.LastSequence}, so a cut tail or a rewrite would go unseen.");
                continue;
            }

            var recorded = $"the head records {Entries(head.EntryCount)} ending at entry {head.LastSequence}";
            if (found.LastSequence < head.LastSequence || found.Count < head.EntryCount)
            {
                var missing = key == JournalHeadEntity.WholeJournal
                    ? (found.LastSequence + 1 == head.LastSequence ? $"entry {head.LastSequence} is" : $"entries {found.LastSequence + 1}–{head.LastSequence} are")
                    : $"its newest {Entries(head.EntryCount - found.Count)}, up to entry {head.LastSequence}, {(head.EntryCount - found.Count == 1 ? "is" : "are")}";
                var remain = found.Count == 0 ? "none remains" : $"{found.Count} remain{(found.Count == 1 ? "s" : "")}, ending at entry {found.LastSequence}";
                problems.Add($"{chain} was cut: {missing} missing ({recorded}; {remain}).");
                firstBroken = Min(firstBroken, found.LastSequence + 1);
            }
            else if (found.LastSequence > head.LastSequence || found.Count > head.EntryCount)
            {
                problems.Add($"{chain} holds {Entries(found.Count - head.EntryCount)} its head does not count ({recorded}; the journal has {found.Count}, ending at entry {found.LastSequence}): written around the engine.");
                firstBroken = Min(firstBroken, head.LastSequence + 1);
            }
            else if (found.LastHash != head.LastHash)
            {
                problems.Add($"{chain} was rewritten: entry {head.LastSequence} has the hash {found.LastHash}, its head records {head.LastHash} (entries were changed and the hashes after them recomputed).");
                firstBroken = Min(firstBroken, head.LastSequence);
            }
        }

        return problems.Count == 0
            ? new(true, null, $"Journal intact: {checkedCount} entries.", checkedCount)
            : new(false, firstBroken, string.Join(Environment.NewLine, problems), checkedCount) { Problems = problems };
    }

    private static JournalVerification Broken(long sequence, string message, long checkedCount) =>
        new(false, sequence, message, checkedCount) { Problems = [message] };

    private static void Extend(Dictionary<Guid, (long Count, long LastSequence, string LastHash)> ends, Guid key, JournalEntryEntity entry)
    {
        var count = ends.TryGetValue(key, out var end) ? end.Count : 0;
        ends[key] = (count + 1, entry.Sequence, entry.Hash);
    }

    private static string Entries(long n) => n == 1 ? "1 entry" : $"{n} entries";

    private static long? Min(long? a, long b) => a is null || b < a ? b : a;
}
