namespace AnnualCycle.Runtime.Cycles.Journal;

/// <summary>
/// Appends entries to the journal: numbers and chains them after the newest entry and moves the heads (the whole
/// journal's and each touched cycle's <see cref="JournalHeadEntity"/>) in the same unit of work, so a chain and its
/// head are saved together or not at all. The caller holds the writers' lock (<see cref="EngineWork.LockAsync"/>) and
/// inserts the returned entries in the same transaction (in bulk, beside the unit of work's other new rows).
/// </summary>
internal static class JournalChain
{
    public static async Task<List<object>> AppendAsync(AnnualCycleDbContext db, IReadOnlyList<JournalEntryEntity> entries, CancellationToken ct)
    {
        var chained = new List<object>(entries.Count);
        if (entries.Count == 0)
        {
            return chained;
        }

        var last = await db.Journal.AsNoTracking().OrderByDescending(j => j.Sequence).Select(j => new { j.Sequence, j.Hash }).FirstOrDefaultAsync(ct);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? JournalHash.Genesis;
        foreach (var entry in entries)
        {
            entry.Sequence = ++sequence;
            entry.PreviousHash = previous;
            entry.Hash = JournalHash.Compute(entry);
            previous = entry.Hash;
            chained.Add(entry);
        }

        var keys = entries.Where(e => e.CycleId is not null).Select(e => e.CycleId!.Value).Append(JournalHeadEntity.WholeJournal).Distinct().ToList();
        var heads = await db.JournalHeads.Where(h => keys.Contains(h.CycleId)).ToDictionaryAsync(h => h.CycleId, ct);
        foreach (var entry in entries)
        {
            Advance(db, heads, JournalHeadEntity.WholeJournal, entry);
            if (entry.CycleId is { } cycleId)
            {
                Advance(db, heads, cycleId, entry);
            }
        }

        return chained;
    }

    private static void Advance(AnnualCycleDbContext db, Dictionary<Guid, JournalHeadEntity> heads, Guid key, JournalEntryEntity entry)
    {
        if (!heads.TryGetValue(key, out var head))
        {
            head = new JournalHeadEntity { CycleId = key, LastHash = JournalHash.Genesis };
            heads.Add(key, head);
            db.JournalHeads.Add(head);
        }

        head.EntryCount++;
        head.LastSequence = entry.Sequence;
        head.LastHash = entry.Hash;
    }
}
