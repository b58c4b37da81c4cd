using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Arshjul.Layout.ArshjulLayout;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>The legend: heading, states with colour and sign, the other signs, the rings and what is overdue.</summary>
internal static class LegendSceneBuilder
{
    private const double SwatchWidth = 30;
    private const double SwatchHeight = 16;
    private const double Row = 24;

    /// <summary>The legend and the y of its lowest line: one column right of the wheel (landscape), or a heading and
    /// two columns below it (portrait, for phones).</summary>
    public static (SceneGroup Legend, double Bottom) Build(ArshjulModel model, WheelLayout layout, ArshjulTexts texts, ArshjulPageLayout page)
    {
        var nodes = new List<SceneNode>();
        double bottom;
        if (page == ArshjulPageLayout.Portrait)
        {
            var y = Header(nodes, model, texts, PortraitLegendLeft, PortraitLegendTop + 40, 70);
            var left = Signs(nodes, texts, PortraitLegendLeft, States(nodes, texts, PortraitLegendLeft, y + 18) + 16);
            var right = OverdueList(nodes, layout, texts, PortraitLegendSecondColumn, Rings(nodes, layout, texts, PortraitLegendSecondColumn, y + 18) + 16);
            bottom = Math.Max(left, right);
        }
        else
        {
            var y = Header(nodes, model, texts, LegendLeft, 64, 40);
            y = Signs(nodes, texts, LegendLeft, States(nodes, texts, LegendLeft, y + 18) + 16);
            bottom = OverdueList(nodes, layout, texts, LegendLeft, Rings(nodes, layout, texts, LegendLeft, y + 16) + 16);
        }

        return (new SceneGroup("legend", nodes, AriaLabel: texts.Status), bottom);
    }

    private static double Header(List<SceneNode> nodes, ArshjulModel model, ArshjulTexts texts, double x, double y, int wrap)
    {
        nodes.Add(new SceneText(x, y, $"{texts.HubCaption} {model.CalendarYear}", 30, ArshjulPalette.Ink, Bold: true, CssClass: "legend-heading"));
        y += 28;
        foreach (var line in WheelSceneBuilder.WrapTitle(model.Title, wrap).Take(2))
        {
            nodes.Add(new SceneText(x, y, line, 16, ArshjulPalette.Ink));
            y += 20;
        }

        foreach (var line in WheelSceneBuilder.WrapTitle(texts.CycleNote(model.CalendarYear), wrap + 12))
        {
            nodes.Add(new SceneText(x, y, line, 12, ArshjulPalette.MutedInk));
            y += 16;
        }

        return y;
    }

    private static double States(List<SceneNode> nodes, ArshjulTexts texts, double x, double y)
    {
        nodes.Add(Heading(x, texts.Status, y));
        y += 22;
        foreach (var state in Enum.GetValues<StepState>())
        {
            var style = ArshjulPalette.For(state);
            nodes.Add(Swatch(x, y, style.Fill, style.Stroke, style.Dash, hatch: false, texts.Symbol(state), style.TextColour, texts.State(state)));
            y += Row;
        }

        var overdue = ArshjulPalette.ForArc(new ArshjulArc("", "", "", 0, default, default, StepState.Opened, true, null));
        nodes.Add(Swatch(x, y, overdue.Fill, overdue.Stroke, overdue.Dash, hatch: true, ArshjulTexts.OverdueSymbol, overdue.TextColour, texts.Overdue));
        return y + Row;
    }

    private static double Signs(List<SceneNode> nodes, ArshjulTexts texts, double x, double y)
    {
        nodes.Add(Heading(x, texts.SymbolsHeading, y));
        y += 22;
        nodes.Add(new ScenePath(WheelGeometry.Diamond(new Point(x + SwatchWidth / 2, y - 4), 5.5), ArshjulPalette.MeetingFill, "#FFFFFF", 0.8));
        nodes.Add(Label(x, y, texts.Meeting));
        y += Row;
        nodes.Add(new ScenePath(WheelGeometry.Line(new Point(x, y - 4), new Point(x + SwatchWidth - 6, y - 4)), null, ArshjulPalette.Needle, 2.6));
        nodes.Add(new ScenePath(WheelGeometry.Diamond(new Point(x + SwatchWidth - 4, y - 4), 5), ArshjulPalette.Needle, "#FFFFFF", 1));
        nodes.Add(Label(x, y, texts.Today));
        y += Row;
        nodes.Add(new ScenePath(ArrowSwatch(x, y), ArshjulPalette.For(StepState.Planned).Fill, ArshjulPalette.Rule, 0.9));
        nodes.Add(Label(x, y, texts.Continues));
        return y + Row;
    }

    private static double Rings(List<SceneNode> nodes, WheelLayout layout, ArshjulTexts texts, double x, double y)
    {
        nodes.Add(Heading(x, texts.RingsHeading, y));
        y += 22;
        foreach (var band in layout.Rings)
        {
            nodes.Add(new SceneText(x, y, band.Ring.BodyId, 12.5, ArshjulPalette.Ink, Bold: true));
            nodes.Add(new SceneText(x + 46, y, band.Ring.Name, 12.5, ArshjulPalette.Ink));
            y += 20;
        }

        return y;
    }

    /// <summary>What is late, in writing: a printed wheel has no hover, and red alone must not carry the message.</summary>
    private static double OverdueList(List<SceneNode> nodes, WheelLayout layout, ArshjulTexts texts, double x, double y)
    {
        const int shown = 8;
        var overdue = layout.Arcs.Where(a => a.Arc.Overdue).OrderBy(a => a.Arc.Due).ThenBy(a => a.Arc.BodyId, StringComparer.Ordinal).ToList();
        nodes.Add(Heading(x, texts.OverdueHeading(overdue.Count), y));
        y += 22;
        if (overdue.Count == 0)
        {
            nodes.Add(new SceneText(x, y, texts.NoneOverdue, 12.5, ArshjulPalette.MutedInk));
            return y;
        }

        foreach (var placed in overdue.Take(shown))
        {
            var arc = placed.Arc;
            var line = $"{arc.BodyId} · {texts.DayMonth(arc.Due)} · {arc.Title}";
            nodes.Add(new SceneGroup("overdue-item",
            [
                new SceneText(x + 4, y, ArshjulTexts.OverdueSymbol, 12.5, ArshjulPalette.OverdueFill, TextAnchor.Middle, Bold: true),
                new SceneText(x + 16, y, WheelSceneBuilder.FitLabel(line, 330, 12.5 * 0.55) ?? line, 12.5, ArshjulPalette.Ink),
            ], Href: arc.Url, Tooltip: WheelSceneBuilder.Tooltip(placed, texts, layout.Year)));
            y += 19;
        }

        if (overdue.Count > shown)
        {
            nodes.Add(new SceneText(x + 16, y, texts.More(overdue.Count - shown), 12, ArshjulPalette.MutedInk));
            y += 19;
        }

        return y;
    }

    private static SceneText Heading(double x, string text, double y) =>
        new(x, y, text.ToUpperInvariant(), 12, ArshjulPalette.MutedInk, Bold: true, CssClass: "legend-heading");

    private static SceneText Label(double x, double y, string text) => new(x + SwatchWidth + 12, y, text, 13, ArshjulPalette.Ink);

    private static SceneGroup Swatch(double x, double y, string fill, string stroke, string? dash, bool hatch, string symbol, string symbolColour, string label) =>
        new("legend-item",
        [
            new ScenePath(WheelGeometry.Rectangle(x, y - SwatchHeight + 3, SwatchWidth, SwatchHeight), fill, stroke,
                hatch ? 1.6 : 0.9, dash, Hatch: hatch),
            new SceneText(x + SwatchWidth / 2, y - 0.5, symbol, 11, symbolColour, TextAnchor.Middle, Bold: true),
            Label(x, y, label),
        ]);

    /// <summary>A bar with an arrow tip at its right end, the shape of an arc that continues into the next year.</summary>
    private static string ArrowSwatch(double x, double y)
    {
        var top = y - SwatchHeight + 3;
        var bottom = top + SwatchHeight;
        return new PathBuilder()
            .MoveTo(new Point(x, top)).LineTo(new Point(x + SwatchWidth - 8, top))
            .LineTo(new Point(x + SwatchWidth, (top + bottom) / 2)).LineTo(new Point(x + SwatchWidth - 8, bottom))
            .LineTo(new Point(x, bottom)).Close().ToString();
    }
}
