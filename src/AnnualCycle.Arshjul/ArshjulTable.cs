using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Arshjul.Rendering;

namespace AnnualCycle.Arshjul;

/// <summary>One row of the table beside the wheel: one arc, in the words the wheel's tooltip uses.</summary>
/// <param name="Number">The number written on the arc.</param>
/// <param name="BodyName">The name of the ring's body, e.g. "Ekonomistaben".</param>
/// <param name="Opens">The first day, e.g. "16 maj 2026".</param>
/// <param name="Due">The due date, e.g. "12 juni 2026".</param>
/// <param name="State">The state in the model's language, ", försenad" added when overdue.</param>
/// <param name="Url">The step's page; null when the arc has no link.</param>
public sealed record ArshjulTableRow(
    int Number,
    string StepKey,
    string Title,
    string BodyId,
    string BodyName,
    string Opens,
    string Due,
    string State,
    bool Overdue,
    string Cycle,
    string? Url);

/// <summary>
/// The same data as the wheel, as rows for an accessible HTML table: every arc the wheel draws, numbered as on the
/// wheel, in that order (by first day, outer ring first). Built from the same layout, so the table and the drawing
/// cannot disagree.
/// </summary>
public static class ArshjulTable
{
    public static IReadOnlyList<ArshjulTableRow> Rows(ArshjulModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var texts = ArshjulTexts.For(model);
        return ArshjulLayout.Arrange(model).Arcs
            .OrderBy(a => a.Number)
            .Select(a => new ArshjulTableRow(
                a.Number,
                a.Arc.StepKey,
                a.Arc.Title,
                a.Ring.Ring.BodyId,
                a.Ring.Ring.Name,
                texts.Date(a.Arc.Opens <= a.Arc.Due ? a.Arc.Opens : a.Arc.Due),
                texts.Date(a.Arc.Due),
                texts.State(a.Arc.State) + (a.Arc.Overdue ? ", " + texts.Overdue : ""),
                a.Arc.Overdue,
                texts.Cycle(a.Arc.CycleYear),
                a.Arc.Url))
            .ToList();
    }

    /// <summary>The rings as the wheel draws them, outer to inner: the legend of a page that draws its own.</summary>
    public static IReadOnlyList<ArshjulRing> Rings(ArshjulModel model) =>
        ArshjulLayout.Arrange(model).Rings.Select(r => r.Ring).ToList();
}
