using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Tests.Arshjul;

/// <summary>Small hand-made models for the årshjul tests.</summary>
internal static class ArshjulTestModels
{
    public static readonly IReadOnlyList<ArshjulRing> Rings =
    [
        // Deliberately listed out of order: Order decides, outermost first.
        new("HSN", "Hälso- och sjukvårdsnämnden", 2),
        new("RF", "Regionfullmäktige", 0),
        new("RS", "Regionstyrelsen", 1),
    ];

    public static ArshjulArc Arc(string key, string body, DateOnly opens, DateOnly due,
        StepState state = StepState.Opened, bool overdue = false, string? title = null, string? url = null) =>
        new(key, title ?? key, body, opens.Year, opens, due, state, overdue, url ?? $"/steps/{key}");

    public static ArshjulModel Model(int year, DateOnly? today, params ArshjulArc[] arcs) =>
        new(year, today, "Region Test", Rings, arcs, [], "sv");
}
