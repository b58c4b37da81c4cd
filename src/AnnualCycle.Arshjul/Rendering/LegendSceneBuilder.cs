using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>The panel right of the wheel: heading, states with colour and sign, the other signs, and the rings.</summary>
internal static class LegendSceneBuilder
{
    private const double Left = 1040;
    private const double SwatchWidth = 30;
    private const double SwatchHeight = 16;
    private const double Row = 24;

    public static SceneGroup Build(ArshjulModel model, WheelLayout layout, ArshjulTexts texts)
    {
        var nodes = new List<SceneNode>();
        var y = 64.0;
        nodes.Add(new SceneText(Left, y, $"{texts.HubCaption} {model.CalendarYear}", 30, ArshjulPalette.Ink, Bold: true, CssClass: "legend-heading"));
        y += 28;
        foreach (var line in WheelSceneBuilder.WrapTitle(model.Title, 40).Take(2))
        {
            nodes.Add(new SceneText(Left, y, line, 16, ArshjulPalette.Ink));
            y += 20;
        }

        foreach (var line in WheelSceneBuilder.WrapTitle(texts.CycleNote(model.CalendarYear), 52))
        {
            nodes.Add(new SceneText(Left, y, line, 12, ArshjulPalette.MutedInk));
            y += 16;
        }

        y += 18;
        nodes.Add(Heading(texts.Status, y));
        y += 22;
        foreach (var state in Enum.GetValues<ArshjulStepState>())
        {
            var style = ArshjulPalette.For(state);
            nodes.Add(Swatch(y, style.Fill, style.Stroke, style.Dash, hatch: false, texts.Symbol(state), style.TextColour, texts.State(state)));
            y += Row;
        }

        var overdue = ArshjulPalette.ForArc(new ArshjulArc("", "", "", 0, default, default, ArshjulStepState.Opened, true, null));
        nodes.Add(Swatch(y, overdue.Fill, overdue.Stroke, overdue.Dash, hatch: true, ArshjulTexts.OverdueSymbol, overdue.TextColour, texts.Overdue));
        y += Row + 16;

        nodes.Add(Heading(texts.SymbolsHeading, y));
        y += 22;
        var diamondAt = new Point(Left + SwatchWidth / 2, y - 4);
        nodes.Add(new ScenePath(WheelGeometry.Diamond(diamondAt, 5.5), ArshjulPalette.MeetingFill, "#FFFFFF", 0.8));
        nodes.Add(Label(y, texts.Meeting));
        y += Row;
        nodes.Add(new ScenePath(WheelGeometry.Line(new Point(Left, y - 4), new Point(Left + SwatchWidth - 6, y - 4)), null, ArshjulPalette.Needle, 2.6));
        nodes.Add(new ScenePath(WheelGeometry.Diamond(new Point(Left + SwatchWidth - 4, y - 4), 5), ArshjulPalette.Needle, "#FFFFFF", 1));
        nodes.Add(Label(y, texts.Today));
        y += Row;
        nodes.Add(new ScenePath(ArrowSwatch(y), ArshjulPalette.For(ArshjulStepState.Planned).Fill, ArshjulPalette.Rule, 0.9));
        nodes.Add(Label(y, texts.Continues));
        y += Row + 16;

        nodes.Add(Heading(texts.RingsHeading, y));
        y += 22;
        foreach (var band in layout.Rings)
        {
            nodes.Add(new SceneText(Left, y, band.Ring.BodyId, 12.5, ArshjulPalette.Ink, Bold: true));
            nodes.Add(new SceneText(Left + 46, y, band.Ring.Name, 12.5, ArshjulPalette.Ink));
            y += 20;
        }

        y += 16;
        nodes.AddRange(OverdueList(layout, texts, y));
        return new SceneGroup("legend", nodes, AriaLabel: texts.Status);
    }

    /// <summary>What is late, in writing: a printed wheel has no hover, and red alone must not carry the message.</summary>
    private static IEnumerable<SceneNode> OverdueList(WheelLayout layout, ArshjulTexts texts, double y)
    {
        const int shown = 8;
        var overdue = layout.Arcs.Where(a => a.Arc.Overdue).OrderBy(a => a.Arc.Due).ThenBy(a => a.Arc.BodyId, StringComparer.Ordinal).ToList();
        yield return Heading(texts.OverdueHeading(overdue.Count), y);
        y += 22;
        if (overdue.Count == 0)
        {
            yield return new SceneText(Left, y, texts.NoneOverdue, 12.5, ArshjulPalette.MutedInk);
            yield break;
        }

        foreach (var placed in overdue.Take(shown))
        {
            var arc = placed.Arc;
            var line = $"{arc.BodyId} · {texts.DayMonth(arc.Due)} · {arc.Title}";
            yield return new SceneGroup("overdue-item",
            [
                new SceneText(Left + 4, y, ArshjulTexts.OverdueSymbol, 12.5, ArshjulPalette.OverdueFill, TextAnchor.Middle, Bold: true),
                new SceneText(Left + 16, y, WheelSceneBuilder.FitLabel(line, 330, 12.5 * 0.55) ?? line, 12.5, ArshjulPalette.Ink),
            ], Href: arc.Url, Tooltip: WheelSceneBuilder.Tooltip(placed, texts, layout.Year));
            y += 19;
        }

        if (overdue.Count > shown)
        {
            yield return new SceneText(Left + 16, y, texts.More(overdue.Count - shown), 12, ArshjulPalette.MutedInk);
        }
    }

    private static SceneText Heading(string text, double y) =>
        new(Left, y, text.ToUpperInvariant(), 12, ArshjulPalette.MutedInk, Bold: true, CssClass: "legend-heading");

    private static SceneText Label(double y, string text) => new(Left + SwatchWidth + 12, y, text, 13, ArshjulPalette.Ink);

    private static SceneGroup Swatch(double y, string fill, string stroke, string? dash, bool hatch, string symbol, string symbolColour, string label) =>
        new("legend-item",
        [
            new ScenePath(WheelGeometry.Rectangle(Left, y - SwatchHeight + 3, SwatchWidth, SwatchHeight), fill, stroke,
                hatch ? 1.6 : 0.9, dash, Hatch: hatch),
            new SceneText(Left + SwatchWidth / 2, y - 0.5, symbol, 11, symbolColour, TextAnchor.Middle, Bold: true),
            Label(y, label),
        ]);

    /// <summary>A bar with an arrow tip at its right end, the shape of an arc that continues into the next year.</summary>
    private static string ArrowSwatch(double y)
    {
        var top = y - SwatchHeight + 3;
        var bottom = top + SwatchHeight;
        return new PathBuilder()
            .MoveTo(new Point(Left, top)).LineTo(new Point(Left + SwatchWidth - 8, top))
            .LineTo(new Point(Left + SwatchWidth, (top + bottom) / 2)).LineTo(new Point(Left + SwatchWidth - 8, bottom))
            .LineTo(new Point(Left, bottom)).Close().ToString();
    }
}
