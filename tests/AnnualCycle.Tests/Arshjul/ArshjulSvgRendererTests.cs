using System.Globalization;
using System.Xml.Linq;
using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Geometry;
using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Tests.Arshjul.ArshjulTestModels;

namespace AnnualCycle.Tests.Arshjul;

public class ArshjulSvgRendererTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Render(ArshjulModel model) => XDocument.Parse(ArshjulSvgRenderer.Render(model));

    private static IEnumerable<XElement> WithClass(XDocument doc, string cssClass) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    [Fact]
    public void Render_ProducesAnSvgRoot_WithViewBox_AndAccessibleNameAndDescription()
    {
        var doc = Render(ArshjulDemo.Vasterbotten());
        var root = doc.Root!;

        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("0 0 1400 1000", (string?)root.Attribute("viewBox"));
        // Links inside role img would be presentational (axe nested-interactive): a wheel of links is a group.
        Assert.Equal(root.Descendants(Svg + "a").Any() ? "group" : "img", (string?)root.Attribute("role"));
        Assert.Equal("arshjul-title arshjul-desc", (string?)root.Attribute("aria-labelledby"));
        Assert.Equal("Årshjul 2026 – Region Västerbotten", root.Element(Svg + "title")?.Value);
        Assert.Contains("tolv månader", root.Element(Svg + "desc")?.Value);
        Assert.Equal("sv", (string?)root.Attribute(XNamespace.Xml + "lang"));
    }

    [Fact]
    public void Render_LabelsTwelveMonths_InSwedish_InCalendarOrder()
    {
        var labels = WithClass(Render(ArshjulDemo.Vasterbotten()), "month-label").Select(e => e.Value.ToLowerInvariant()).ToList();

        Assert.Equal(
            ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"],
            labels);
    }

    [Fact]
    public void Render_LabelsMonthsAndStates_InEnglish_WhenAskedFor()
    {
        var doc = Render(ArshjulDemo.Vasterbotten(language: "en"));

        Assert.Equal("January", WithClass(doc, "month-label").First().Value);
        Assert.Contains(doc.Descendants(Svg + "title"), t => t.Value.Contains("Status: completed", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_HasOneRingGroupPerBody_FromOuterToInner()
    {
        var rings = WithClass(Render(ArshjulDemo.Vasterbotten()), "ring").Select(g => (string?)g.Attribute("data-body")).ToList();

        Assert.Equal(["RF", "RS", "HSN", "RUN", "FHS", "PN"], rings);
    }

    [Fact]
    public void Render_DrawsEveryStepOfTheYear_AsALinkWithAPath_InsideItsRing()
    {
        var model = ArshjulDemo.Vasterbotten();
        var doc = Render(model);
        var links = doc.Descendants(Svg + "a").Where(a => (string?)a.Attribute("class") == "arc").ToList();

        Assert.Equal(model.Arcs.Count, links.Count);
        foreach (var link in links)
        {
            var step = (string)link.Attribute("data-step")!;
            var arc = model.Arcs.Single(a => a.StepKey == step);
            Assert.Equal(arc.Url, (string?)link.Attribute("href"));
            Assert.Equal(arc.Url, (string?)link.Attribute(XNamespace.Get("http://www.w3.org/1999/xlink") + "href"));
            Assert.NotNull(link.Element(Svg + "path"));
            Assert.Equal(arc.BodyId, (string?)link.Parent!.Attribute("data-body"));
        }
    }

    [Fact]
    public void Render_GivesAnArc_ATitleWithTheDetailsInSwedish()
    {
        var model = Model(2026, null,
            Arc("aterkoppling/HSN", "HSN", new DateOnly(2026, 5, 20), new DateOnly(2026, 6, 12), StepState.Returned, overdue: true,
                title: "Återkopplingsrapport"));

        var link = WithClass(Render(model), "arc").Single();
        var title = link.Element(Svg + "title")!.Value;

        Assert.Contains("Återkopplingsrapport – Hälso- och sjukvårdsnämnden", title);
        Assert.Contains("20 maj 2026 – 12 juni 2026", title);
        Assert.Contains("Status: returnerad, försenad", title);
        Assert.Contains("Cykel 2026", title);
        // Overdue shows "!", which is no word: the name is the title's text.
        Assert.Equal(title.Replace('\n', ' '), (string?)link.Attribute("aria-label"));
    }

    [Fact]
    public void ArcLabel_IsCutAfterAWholeWord()
    {
        // 24 characters fit: "P  Nyvalda regionfullmä…" would end in half a word that the link's name does not have.
        Assert.Equal("P  Nyvalda…", AnnualCycle.Arshjul.Rendering.WheelSceneBuilder.FitLabel("P  Nyvalda regionfullmäktige beslutar", 24 * 5.6 + 0.01, 5.6));
        Assert.Equal("P  Kick-off: planeringsdirektiv…", AnnualCycle.Arshjul.Rendering.WheelSceneBuilder.FitLabel("P  Kick-off: planeringsdirektiv och mål", 33 * 5.6 + 0.01, 5.6));
        Assert.Equal("P  Investeringsplan…", AnnualCycle.Arshjul.Rendering.WheelSceneBuilder.FitLabel("P  Investeringsplan och", 21 * 5.6 + 0.01, 5.6));
        Assert.Null(AnnualCycle.Arshjul.Rendering.WheelSceneBuilder.FitLabel("!  Återkopplingsrapport", 14 * 5.6 + 0.01, 5.6));
    }

    [Fact]
    public void Render_NamesAnArcLink_StartingWithTheSignItShows()
    {
        var model = Model(2026, null,
            Arc("aterkoppling/HSN", "HSN", new DateOnly(2026, 5, 20), new DateOnly(2026, 6, 12), StepState.Opened, overdue: false,
                title: "Återkopplingsrapport"));

        var link = WithClass(Render(model), "arc").Single();

        // WCAG 2.5.3 (axe label-content-name-mismatch): the visible "Ö  Återkopplingsrapport" is part of the name.
        Assert.Equal("Ö " + link.Element(Svg + "title")!.Value.Replace('\n', ' '), (string?)link.Attribute("aria-label"));
    }

    [Theory]
    [InlineData(StepState.Planned, "planerad")]
    [InlineData(StepState.Opened, "öppen")]
    [InlineData(StepState.Submitted, "inlämnad")]
    [InlineData(StepState.Completed, "klar")]
    [InlineData(StepState.Skipped, "hoppad över")]
    [InlineData(StepState.Cancelled, "avbruten")]
    public void Render_NamesTheState_InSwedish_InTheArcTitleAndTheLegend(StepState state, string swedish)
    {
        var doc = Render(Model(2026, null, Arc("s", "RS", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20), state)));

        Assert.Contains($"Status: {swedish}", doc.Descendants(Svg + "a").Single().Element(Svg + "title")!.Value);
        Assert.Contains(WithClass(doc, "legend-item"), item => item.Value.Contains(swedish, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_MarksAnOverdueArc_WithADashedOutline_AndHatching_NotOnlyWithColour()
    {
        var doc = Render(Model(2026, null,
            Arc("late", "RS", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20), overdue: true),
            Arc("fine", "RS", new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 20))));

        XElement Shape(string step) => doc.Descendants(Svg + "a").Single(a => (string?)a.Attribute("data-step") == step)
            .Elements(Svg + "path").First();

        Assert.NotNull(Shape("late").Attribute("stroke-dasharray"));
        Assert.Equal("#D55E00", (string?)Shape("late").Attribute("fill"));
        Assert.Null(Shape("fine").Attribute("stroke-dasharray"));
        Assert.Contains(doc.Descendants(Svg + "a").Single(a => (string?)a.Attribute("data-step") == "late").Descendants(Svg + "path"),
            p => (string?)p.Attribute("fill") == "url(#arshjul-hatch)");
        Assert.Contains(WithClass(doc, "legend-item"), item => item.Value.Contains("försenad", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_ListsOverdueSteps_InTheLegend_AsLinks()
    {
        var doc = Render(Model(2026, null,
            Arc("late-1", "RS", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 20), overdue: true, title: "Sen rapport"),
            Arc("late-2", "HSN", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 10), overdue: true),
            Arc("fine", "RS", new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 20))));

        var items = WithClass(doc, "overdue-item").ToList();

        Assert.Equal(["/steps/late-2", "/steps/late-1"], items.Select(i => (string?)i.Attribute("href")));
        Assert.Contains("RS · 20 mars · Sen rapport", items[1].Value);
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "Försenade (2)".ToUpperInvariant());
    }

    [Fact]
    public void Render_WritesStateSigns_InTheModelsLanguage()
    {
        var arc = Arc("s", "RS", new DateOnly(2026, 1, 5), new DateOnly(2026, 6, 30), StepState.Submitted, title: "Lång rapport");

        var sv = Render(Model(2026, null, arc)).Descendants(Svg + "textPath").Single().Value;
        var en = Render(Model(2026, null, arc) with { Language = "en" }).Descendants(Svg + "textPath").Single().Value;

        Assert.StartsWith("I ", sv);
        Assert.StartsWith("S ", en);
        Assert.EndsWith("Lång rapport", sv);
    }

    [Fact]
    public void Render_DrawsTheNeedle_AtTodaysAngle()
    {
        var today = new DateOnly(2026, 11, 23);
        var needle = WithClass(Render(Model(2026, today)), "needle").Single();

        var angle = double.Parse((string)needle.Attribute("data-angle")!, CultureInfo.InvariantCulture);
        Assert.Equal(WheelGeometry.NoonAngle(today, 2026), angle, 2);

        // The line ends where PointAt says for that angle: check the drawn geometry, not only the attribute.
        var d = (string)needle.Elements(Svg + "path").First().Attribute("d")!;
        var end = d[(d.IndexOf('L') + 1)..].Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var expected = WheelGeometry.PointAt(ArshjulLayout.Centre, ArshjulLayout.MonthOuter + 4, WheelGeometry.NoonAngle(today, 2026));
        Assert.Equal(expected.X, end[0], 0.01);
        Assert.Equal(expected.Y, end[1], 0.01);
    }

    [Fact]
    public void Render_HasNoNeedle_WhenTodayIsOutsideTheYear()
    {
        Assert.Empty(WithClass(Render(Model(2026, null)), "needle"));
        Assert.Empty(WithClass(Render(Model(2026, new DateOnly(2025, 12, 31))), "needle"));
    }

    [Fact]
    public void Render_EscapesUserText_InTitlesLinksAndNames()
    {
        const string nasty = "Plan <b>&</b> \"budget\" 'x' ]]>";
        var model = new ArshjulModel(2026, null, "Region <&> \"Test\"",
            [new ArshjulRing("R&D", "Nämnd <för> \"allt\" & 'mer'", 0)],
            [Arc("k<&>", "R&D", new DateOnly(2026, 2, 1), new DateOnly(2026, 6, 30), title: nasty, url: "/steps/1?a=1&b=\"2\"")],
            [new ArshjulMark("R&D", new DateOnly(2026, 3, 3), "Möte <extra> & \"öppet\"")]);

        var svg = ArshjulSvgRenderer.Render(model);
        var doc = XDocument.Parse(svg);

        Assert.DoesNotContain("<b>", svg);
        var link = doc.Descendants(Svg + "a").Single();
        Assert.Equal("/steps/1?a=1&b=\"2\"", (string?)link.Attribute("href"));
        Assert.StartsWith("1. " + nasty + " – Nämnd <för> \"allt\" & 'mer'", link.Element(Svg + "title")!.Value);
        Assert.Equal("Årshjul 2026 – Region <&> \"Test\"", doc.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(doc.Descendants(Svg + "title"), t => t.Value.Contains("Möte <extra> & \"öppet\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_DrawsMeetings_AsDiamondsOnTheirRing()
    {
        var model = ArshjulDemo.Vasterbotten();
        var doc = Render(model);

        var meetings = WithClass(doc, "meeting").ToList();
        Assert.Equal(model.Meetings.Count, meetings.Count);
        var rf = WithClass(doc, "ring").Single(r => (string?)r.Attribute("data-body") == "RF");
        Assert.Equal(model.Meetings.Count(m => m.BodyId == "RF"), WithClass(new XDocument(rf), "meeting").Count());
        Assert.Contains("24 november 2026", meetings.Select(m => m.Element(Svg + "title")!.Value).Last(t => t.Contains("Regionfullmäktige", StringComparison.Ordinal)));
    }

    [Fact]
    public void Render_IsTheSame_WhateverTheProcessCulture()
    {
        var model = ArshjulDemo.Vasterbotten();
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("sv-SE");
            var swedish = ArshjulSvgRenderer.Render(model);
            CultureInfo.CurrentCulture = new CultureInfo("en-US");
            Assert.Equal(swedish, ArshjulSvgRenderer.Render(model));
            // In sv-SE a culture-sensitive number would be written "12,5": path data must stay invariant.
            Assert.All(XDocument.Parse(swedish).Descendants(Svg + "path"), p => Assert.DoesNotContain(",", (string?)p.Attribute("d") ?? ""));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Render_StillDrawsAValidWheel_WithNoRingsStepsOrMeetings()
    {
        var doc = Render(new ArshjulModel(2026, new DateOnly(2026, 2, 1), "Tom", [], [], []));

        Assert.Equal(12, WithClass(doc, "month-label").Count());
        Assert.Empty(WithClass(doc, "ring"));
        Assert.Single(WithClass(doc, "needle"));
    }

    [Fact]
    public void Render_Portrait_PutsTheLegendBelowTheWheel_ForPhones()
    {
        var doc = XDocument.Parse(ArshjulSvgRenderer.Render(ArshjulDemo.Vasterbotten(), ArshjulPageLayout.Portrait));

        var viewBox = ((string)doc.Root!.Attribute("viewBox")!).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(1032, viewBox[2]);
        Assert.True(viewBox[3] > 1400, $"portrait height {viewBox[3]}");
        var legendTexts = WithClass(doc, "legend").Single().Descendants(Svg + "text")
            .Select(t => double.Parse((string)t.Attribute("y")!, CultureInfo.InvariantCulture)).ToList();
        Assert.All(legendTexts, y => Assert.InRange(y, ArshjulLayout.Centre.Y + ArshjulLayout.MonthOuter, viewBox[3]));
    }
}
