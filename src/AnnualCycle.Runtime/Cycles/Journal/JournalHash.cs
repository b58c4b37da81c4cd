using System.Security.Cryptography;
using System.Text.Json;

namespace AnnualCycle.Runtime.Cycles.Journal;

/// <summary>
/// The canonical form of a journal entry and its SHA-256. The form is a JSON array of every field in a
/// fixed order (instants as UTC ticks, nulls as JSON null) followed by the previous entry's hash, so
/// changing, inserting or removing any entry changes every hash after it.
/// </summary>
internal static class JournalHash
{
    /// <summary>The previous hash of the very first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Compute(JournalEntryEntity e)
    {
        var canonical = JsonSerializer.Serialize(new object?[]
        {
            e.Sequence,
            e.CycleId?.ToString("D"),
            e.AtUtc.Ticks.ToString(CultureInfo.InvariantCulture),
            e.ActorUserId,
            e.OnBehalfOfUserId,
            e.Action,
            e.Subject,
            e.StepInstanceId?.ToString("D"),
            e.FromState,
            e.ToState,
            e.Comment,
            e.PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
