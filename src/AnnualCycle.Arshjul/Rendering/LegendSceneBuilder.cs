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
            nodes.Add(Swatch(y, style.Fill, style.Stroke, style.Dash, hatch: false, style.Symbol, style.TextColour, texts.State(state)));
            y += Row;
        }

        var overdue = ArshjulPalette.ForArc(new ArshjulArc("", "", "", 0, default, default, ArshjulStepState.Opened, true, null));
        nodes.Add(Swatch(y, overdue.Fill, overdue.Stroke, overdue.Dash, hatch: true, ArshjulPalette.OverdueSymbol, overdue.TextColour, texts.Overdue));
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

        return new SceneGroup("legend", nodes, AriaLabel: texts.Status);
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
