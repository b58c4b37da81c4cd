using System.Text.Json;

namespace AnnualCycle.Runtime.Cycles.Commands;

/// <summary>
/// The process owner's dates of a cycle (<see cref="Data.Cycles.CycleEntity.OverridesJson"/>): due and open dates by step
/// key, re-applied on every re-plan. Written by a reschedule and by a late start that moves passed steps.
/// </summary>
internal sealed class CycleOverrides
{
    public Dictionary<string, DateOnly> Due { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, DateOnly> Opens { get; set; } = new(StringComparer.Ordinal);

    public static CycleOverrides Read(string json) => JsonSerializer.Deserialize<CycleOverrides>(json) ?? new CycleOverrides();

    public string ToJson() => JsonSerializer.Serialize(this);
}
