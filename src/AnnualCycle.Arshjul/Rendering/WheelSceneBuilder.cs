using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Arshjul.Layout.ArshjulLayout;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>A built scene with the size of its drawing in user units.</summary>
public sealed record WheelScene(SceneGroup Root, double Width, double Height);

/// <summary>Turns a model into the scene: months, rings with their arcs and meetings, the needle, the hub and the legend.</summary>
public static class WheelSceneBuilder
{
    public static WheelScene Build(ArshjulModel model, ArshjulPageLayout page = ArshjulPageLayout.Landscape)
    {
        var texts = ArshjulTexts.For(model);
        var layout = Arrange(model);
        var phone = page == ArshjulPageLayout.Phone;
        (SceneGroup? Legend, double Bottom) built = phone ? (null, 0d) : LegendSceneBuilder.Build(model, layout, texts, page);
        var (legend, bottom) = built;
        var (width, height) = page switch
        {
            ArshjulPageLayout.Portrait => (PortraitWidth, Math.Ceiling(bottom + 40)),
            ArshjulPageLayout.Phone => (PortraitWidth, Centre.Y + MonthOuter + 16),
            _ => (Width, Math.Max(Height, Math.Ceiling(bottom + 30))),
        };
        var children = new List<SceneNode>
        {
            new ScenePath(WheelGeometry.Rectangle(0, 0, width, height), "#FFFFFF", CssClass: "background"),
            Months(layout, texts, phone ? 24 : 15),
            new SceneGroup("rings", layout.Rings.Select(r => Ring(r, layout, texts)).ToList()),
        };
        if (layout.NeedleAngle is { } angle && model.Today is { } today)
        {
            children.Add(Needle(angle, today, texts));
        }

        children.Add(Hub(model, layout, texts));
        if (legend is not null)
        {
            children.Add(legend);
        }

        return new WheelScene(new SceneGroup("arshjul", children), width, height);
    }

    private static SceneGroup Months(WheelLayout layout, ArshjulTexts texts, double labelSize)
    {
        var year = layout.Year;
        var nodes = new List<SceneNode>();
        for (var month = 1; month <= 12; month++)
        {
            var first = new DateOnly(year, month, 1);
            var start = WheelGeometry.DayStartAngle(first, year);
            var end = WheelGeometry.DayStartAngle(first.AddMonths(1), year);
            nodes.Add(new ScenePath(
                WheelGeometry.AnnularSector(Centre, layout.HubOuter, MonthOuter, start, end),
                month % 2 == 1 ? ArshjulPalette.MonthShade : ArshjulPalette.MonthPlain,
                CssClass: "month-sector"));
        }

        // Ticks: a full line at each month's start, short ones on the 8th, 15th and 22nd (roughly weeks).
        for (var month = 1; month <= 12; month++)
        {
            var first = new DateOnly(year, month, 1);
            var angle = WheelGeometry.DayStartAngle(first, year);
            nodes.Add(new ScenePath(
                WheelGeometry.Line(WheelGeometry.PointAt(Centre, layout.HubOuter, angle), WheelGeometry.PointAt(Centre, MonthOuter, angle)),
                null, ArshjulPalette.Rule, 1, CssClass: "tick month-tick"));
            foreach (var day in new[] { 8, 15, 22 })
            {
                var a = WheelGeometry.DayStartAngle(new DateOnly(year, month, day), year);
                nodes.Add(new ScenePath(
                    WheelGeometry.Line(WheelGeometry.PointAt(Centre, RingsOuter, a), WheelGeometry.PointAt(Centre, RingsOuter + 6, a)),
                    null, ArshjulPalette.Rule, 0.8, CssClass: "tick week-tick"));
            }
        }

        nodes.Add(new ScenePath(WheelGeometry.Ring(Centre, 0, MonthOuter), null, ArshjulPalette.Rule, 1.2));
        nodes.Add(new ScenePath(WheelGeometry.Ring(Centre, 0, RingsOuter), null, ArshjulPalette.Rule, 1));

        for (var month = 1; month <= 12; month++)
        {
            var first = new DateOnly(year, month, 1);
            var mid = (WheelGeometry.DayStartAngle(first, year) + WheelGeometry.DayStartAngle(first.AddMonths(1), year)) / 2;
            var at = WheelGeometry.PointAt(Centre, (RingsOuter + 6 + MonthOuter) / 2, mid);
            var name = texts.MonthName(month);
            nodes.Add(new SceneText(at.X, at.Y + labelSize / 3, char.ToUpperInvariant(name[0]) + name[1..], labelSize, ArshjulPalette.Ink,
                TextAnchor.Middle, Bold: true, CssClass: "month-label"));
        }

        return new SceneGroup("months", nodes);
    }

    private static SceneGroup Ring(RingBand band, WheelLayout layout, ArshjulTexts texts)
    {
        var nodes = new List<SceneNode>
        {
            new ScenePath(WheelGeometry.Ring(Centre, band.Inner, band.Outer), "#FFFFFF", ArshjulPalette.Rule, 0.6,
                Opacity: 0.55, EvenOdd: true, CssClass: "ring-band"),
            new ScenePath(WheelGeometry.Ring(Centre, 0, band.MeetingRadius), null, ArshjulPalette.Rule, 0.5, Dash: "1 3",
                CssClass: "meeting-track"),
        };
        nodes.AddRange(layout.Arcs.Where(a => a.Ring == band).Select(a => Arc(a, layout.Year, texts)));
        nodes.AddRange(layout.Meetings.Where(m => m.Ring == band).Select(m => Meeting(m, texts)));
        nodes.Add(RingLabel(band));
        return new SceneGroup("ring", nodes, AriaLabel: $"{band.Ring.Name} ({band.Ring.BodyId})",
            Data: new Dictionary<string, string> { ["body"] = band.Ring.BodyId });
    }

    /// <summary>The body's id on a small white tab at 12 o'clock, where the year turns.</summary>
    private static SceneNode RingLabel(RingBand band)
    {
        var mid = (band.Inner + band.Outer) / 2;
        var width = band.Ring.BodyId.Length * 7.4 + 10;
        var height = Math.Min(16, band.Outer - band.Inner - 2);
        return new SceneGroup("ring-label",
        [
            new ScenePath(WheelGeometry.Rectangle(Centre.X - width / 2, Centre.Y - mid - height / 2, width, height),
                "#FFFFFF", ArshjulPalette.Ink, 0.8, Opacity: 0.92),
            new SceneText(Centre.X, Centre.Y - mid + 3.8, band.Ring.BodyId, 10.5, ArshjulPalette.Ink, TextAnchor.Middle, Bold: true),
        ]);
    }

    private static SceneGroup Arc(PlacedArc placed, int year, ArshjulTexts texts)
    {
        var arc = placed.Arc;
        var style = ArshjulPalette.ForArc(arc);
        var symbol = arc.Overdue ? ArshjulTexts.OverdueSymbol : texts.Symbol(arc.State);
        var nodes = new List<SceneNode>
        {
            new ScenePath(
                WheelGeometry.AnnularSector(Centre, placed.Inner, placed.Outer, placed.StartAngle, placed.EndAngle,
                    placed.Clipped.ContinuesBefore, placed.Clipped.ContinuesAfter),
                style.Fill, style.Stroke, arc.Overdue ? 1.6 : 0.9, style.Dash, Hatch: arc.Overdue,
                HatchColour: "#000000", CssClass: "arc-shape"),
        };
        nodes.Add(ArcLabel(placed, symbol, style.TextColour));

        var tooltip = Tooltip(placed, texts, year);
        // The link's name starts with what the arc shows (its letter sign, then the title), so a speech user who says
        // the visible words finds it (WCAG 2.5.3 label in name); the rest is the tooltip's detail.
        return new SceneGroup("arc", nodes, Href: arc.Url, Tooltip: tooltip, AriaLabel: (char.IsLetterOrDigit(symbol[0]) ? symbol + " " : "") + tooltip.Replace('\n', ' '),
            Data: new Dictionary<string, string>
            {
                ["step"] = arc.StepKey,
                ["body"] = arc.BodyId,
                ["state"] = arc.State.ToString(),
                ["overdue"] = arc.Overdue ? "true" : "false",
                ["lane"] = placed.Lane.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["number"] = placed.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
    }

    /// <summary>Title, body, dates, state and cycle: what hovering an arc shows.</summary>
    internal static string Tooltip(PlacedArc placed, ArshjulTexts texts, int year)
    {
        var arc = placed.Arc;
        var state = texts.State(arc.State) + (arc.Overdue ? ", " + texts.Overdue : "");
        var lines = new List<string>
        {
            $"{placed.Number}. {arc.Title} – {placed.Ring.Ring.Name}",
            $"{texts.Date(arc.Opens)} – {texts.Date(arc.Due)}",
            $"{texts.Status}: {state}",
            texts.Cycle(arc.CycleYear),
        };
        if (placed.Clipped.ContinuesBefore)
        {
            lines.Add(texts.ContinuesFrom(year - 1));
        }

        if (placed.Clipped.ContinuesAfter)
        {
            lines.Add(texts.ContinuesInto(year + 1));
        }

        return string.Join("\n", lines);
    }

    /// <summary>
    /// Every arc is labelled: its sign, its number (the row of the table beside the wheel) and as much of the title as
    /// fits along the arc; the sign and the number on a short arc; the number alone on a shorter one; and on an arc too
    /// short for even that, the number upright on a white tab over the arc's middle. On the lower half the text runs
    /// anticlockwise so it is never upside down.
    /// </summary>
    private static SceneNode ArcLabel(PlacedArc placed, string symbol, string colour)
    {
        var number = placed.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var size = Math.Min(11, (placed.Outer - placed.Inner) * 0.62);
        var mid = (placed.Inner + placed.Outer) / 2;
        var length = (placed.EndAngle - placed.StartAngle) * Math.PI / 180 * mid - 8;
        var charWidth = size * 0.56;
        var text = size < 6 ? null
            : FitLabel($"{symbol} {number}  {placed.Arc.Title}", length, charWidth)
            ?? new[] { $"{symbol} {number}", number }.FirstOrDefault(t => t.Length * charWidth <= length);
        var middle = (placed.StartAngle + placed.EndAngle) / 2 % 360;
        if (text is null)
        {
            return NumberTab(placed, number, middle);
        }

        var clockwise = middle < 90 || middle > 270;
        // The baseline sits a third of the type size off the midline, on the side away from the glyphs.
        var radius = clockwise ? mid - size * 0.34 : mid + size * 0.34;
        return new SceneTextOnPath(
            $"arshjul-label-{placed.Ring.Index}-{placed.Lane}-{Math.Round(placed.StartAngle * 100)}",
            WheelGeometry.ArcLine(Centre, radius, placed.StartAngle, placed.EndAngle, clockwise),
            text, size, colour, Bold: true);
    }

    /// <summary>The number of a very short arc, upright on a small white tab centred on the arc.</summary>
    private static SceneGroup NumberTab(PlacedArc placed, string number, double middle)
    {
        var size = Math.Clamp((placed.Outer - placed.Inner) * 0.7, 7, 10);
        var at = WheelGeometry.PointAt(Centre, (placed.Inner + placed.Outer) / 2, middle);
        var width = number.Length * size * 0.62 + 4;
        var height = size + 2;
        return new SceneGroup("arc-number",
        [
            new ScenePath(WheelGeometry.Rectangle(at.X - width / 2, at.Y - height / 2, width, height), "#FFFFFF", ArshjulPalette.Ink, 0.6),
            new SceneText(at.X, at.Y + size * 0.36, number, size, ArshjulPalette.Ink, TextAnchor.Middle, Bold: true),
        ]);
    }

    internal static string? FitLabel(string text, double length, double charWidth)
    {
        var fits = (int)Math.Floor(length / charWidth);
        if (fits >= text.Length)
        {
            return text;
        }

        if (fits < 9)
        {
            return null;
        }

        // Cut after a whole word of the title (what follows the sign's double space): a label never ends in half a
        // word ("regionfull…"), so its words are words of the arc's accessible name (WCAG 2.5.3 label in name).
        var cut = text[..(fits - 1)];
        var title = text.IndexOf("  ", StringComparison.Ordinal) is var gap and >= 0 ? gap + 2 : 0;
        var space = cut.LastIndexOf(' ');
        if (!char.IsWhiteSpace(text[fits - 1]))
        {
            if (space > title)
            {
                cut = cut[..space];
            }
            else if (title > 0)
            {
                return null; // not one whole word of the title fits: the arc shows its sign alone
            }
        }

        return cut.TrimEnd() + "…";
    }

    private static SceneGroup Meeting(PlacedMeeting meeting, ArshjulTexts texts)
    {
        var at = WheelGeometry.PointAt(Centre, meeting.Ring.MeetingRadius, meeting.Angle);
        var tooltip = $"{texts.Meeting}: {meeting.Mark.Label} – {meeting.Ring.Ring.Name}\n{texts.Date(meeting.Mark.Date)}";
        return new SceneGroup("meeting",
            [new ScenePath(WheelGeometry.Diamond(at, 4.6), ArshjulPalette.MeetingFill, "#FFFFFF", 0.8)],
            Tooltip: tooltip, AriaLabel: tooltip.Replace('\n', ' '),
            Data: new Dictionary<string, string> { ["body"] = meeting.Mark.BodyId, ["date"] = meeting.Mark.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static SceneGroup Needle(double angle, DateOnly today, ArshjulTexts texts)
    {
        var from = WheelGeometry.PointAt(Centre, HubRadius - 6, angle);
        var to = WheelGeometry.PointAt(Centre, MonthOuter + 4, angle);
        var label = $"{texts.Today}: {texts.Date(today)}";
        return new SceneGroup("needle",
        [
            new ScenePath(WheelGeometry.Line(from, to), null, "#FFFFFF", 5.5),
            new ScenePath(WheelGeometry.Line(from, to), null, ArshjulPalette.Needle, 2.6),
            new ScenePath(WheelGeometry.Diamond(to, 6), ArshjulPalette.Needle, "#FFFFFF", 1),
            new ScenePath(WheelGeometry.Ring(Centre, 0, HubRadius - 6), null, ArshjulPalette.Needle, 0.8),
        ], Tooltip: label, AriaLabel: label,
            Data: new Dictionary<string, string> { ["angle"] = PathBuilder.N(angle) });
    }

    private static SceneGroup Hub(ArshjulModel model, WheelLayout layout, ArshjulTexts texts)
    {
        var radius = Math.Max(HubRadius, layout.HubOuter) - 4;
        var nodes = new List<SceneNode>
        {
            new ScenePath(WheelGeometry.Ring(Centre, 0, radius), "#FFFFFF", ArshjulPalette.Rule, 1),
            new SceneText(Centre.X, Centre.Y - 34, texts.HubCaption.ToUpperInvariant(), 12, ArshjulPalette.MutedInk, TextAnchor.Middle, Bold: true),
            new SceneText(Centre.X, Centre.Y + 8, model.CalendarYear.ToString(System.Globalization.CultureInfo.InvariantCulture), 40, ArshjulPalette.Ink, TextAnchor.Middle, Bold: true),
        };
        var y = Centre.Y + 30;
        foreach (var line in WrapTitle(model.Title, 20).Take(2))
        {
            nodes.Add(new SceneText(Centre.X, y, line, 12.5, ArshjulPalette.Ink, TextAnchor.Middle));
            y += 15;
        }

        if (model.Today is { } today && layout.NeedleAngle is not null)
        {
            nodes.Add(new SceneText(Centre.X, y + 4, $"{texts.Today} {texts.DayMonth(today)}", 11.5, ArshjulPalette.Needle, TextAnchor.Middle, Bold: true));
        }

        return new SceneGroup("hub", nodes);
    }

    /// <summary>Splits a title into lines of at most about <paramref name="width"/> characters at spaces.</summary>
    internal static IEnumerable<string> WrapTitle(string title, int width)
    {
        var line = "";
        foreach (var word in title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : line + " " + word;
            }
        }

        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
