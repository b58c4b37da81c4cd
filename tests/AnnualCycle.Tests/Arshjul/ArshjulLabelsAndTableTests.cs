using System.Text.RegularExpressions;
using System.Xml.Linq;
using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Model;
using static AnnualCycle.Tests.Arshjul.ArshjulTestModels;

namespace AnnualCycle.Tests.Arshjul;

/// <summary>
/// Issue 15: every arc carries a label (the 2027 wheel showed grey "P" boxes without one), and the table beside the
/// wheel holds the same arcs under the same numbers.
/// </summary>
public class ArshjulLabelsAndTableTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static IEnumerable<XElement> WithClass(XDocument doc, string cssClass) =>
        doc.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    /// <summary>The texts drawn inside an arc's link: along the arc, or on the tab of a very short one.</summary>
    private static List<string> LabelsOf(XElement arc) =>
        arc.Descendants(Svg + "textPath").Concat(arc.Descendants(Svg + "text")).Select(t => t.Value).ToList();

    [Fact]
    public void EveryArc_OfTheDemoWheel_IsLabelledWithItsNumber_AndTheNumbersRunOneToN()
    {
        var doc = XDocument.Parse(ArshjulSvgRenderer.Render(ArshjulDemo.Vasterbotten()));
        var arcs = WithClass(doc, "arc").ToList();

        Assert.NotEmpty(arcs);
        Assert.Equal(Enumerable.Range(1, arcs.Count), arcs.Select(a => int.Parse((string)a.Attribute("data-number")!)).Order());
        foreach (var arc in arcs)
        {
            var number = (string)arc.Attribute("data-number")!;
            Assert.Contains(LabelsOf(arc), t => Regex.IsMatch(t, $@"(^|\s){number}(\s|$)"));
        }
    }

    [Fact]
    public void AOneDayArc_GetsItsNumberOnATab_AndALongArc_ItsSignNumberAndTitle()
    {
        var model = Model(2026, null,
            Arc("beslut", "HSN", new DateOnly(2026, 6, 10), new DateOnly(2026, 6, 10), StepState.Planned, title: "Nämndplan beslutas"),
            Arc("rapport", "RS", new DateOnly(2026, 1, 5), new DateOnly(2026, 6, 30), StepState.Planned, title: "Lång rapport"));
        var doc = XDocument.Parse(ArshjulSvgRenderer.Render(model));

        var shortArc = WithClass(doc, "arc").Single(a => (string?)a.Attribute("data-step") == "beslut");
        Assert.Equal("2", (string?)shortArc.Attribute("data-number"));
        Assert.Equal(["2"], WithClass(new XDocument(shortArc), "arc-number").Single().Descendants(Svg + "text").Select(t => t.Value));
        Assert.StartsWith("2. Nämndplan beslutas – Hälso- och sjukvårdsnämnden", shortArc.Element(Svg + "title")!.Value);

        var longArc = WithClass(doc, "arc").Single(a => (string?)a.Attribute("data-step") == "rapport");
        Assert.Equal("P 1  Lång rapport", longArc.Descendants(Svg + "textPath").Single().Value);
    }

    [Fact]
    public void Table_HasARowPerArc_WithTheWheelsNumbers_AndReadableTexts()
    {
        var model = Model(2026, new DateOnly(2026, 6, 20),
            Arc("sen", "HSN", new DateOnly(2026, 5, 20), new DateOnly(2026, 6, 12), StepState.Returned, overdue: true, title: "Återkopplingsrapport"),
            Arc("tidig", "RF", new DateOnly(2026, 2, 1), new DateOnly(2026, 2, 1), StepState.Completed, title: "Beslut"),
            Arc("utanför", "RS", new DateOnly(2027, 2, 1), new DateOnly(2027, 3, 1), title: "Nästa år"),
            Arc("okänd", "XX", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 2), title: "Utan ring"));

        var rows = ArshjulTable.Rows(model);
        var svg = XDocument.Parse(ArshjulSvgRenderer.Render(model));

        Assert.Equal(["tidig", "sen"], rows.Select(r => r.StepKey));
        Assert.Equal([1, 2], rows.Select(r => r.Number));
        var late = rows[1];
        Assert.Equal(("Återkopplingsrapport", "Hälso- och sjukvårdsnämnden", "20 maj 2026", "12 juni 2026", "returnerad, försenad", "Cykel 2026", "/steps/sen"),
            (late.Title, late.BodyName, late.Opens, late.Due, late.State, late.Cycle, late.Url));
        Assert.Equal(
            rows.ToDictionary(r => r.StepKey, r => r.Number.ToString()),
            WithClass(svg, "arc").ToDictionary(a => (string)a.Attribute("data-step")!, a => (string)a.Attribute("data-number")!));
    }

    [Fact]
    public void PhoneLayout_IsTheWheelAlone_WithLargerMonthNames()
    {
        var model = ArshjulDemo.Vasterbotten();
        var phone = XDocument.Parse(ArshjulSvgRenderer.Render(model, ArshjulPageLayout.Phone));
        var portrait = XDocument.Parse(ArshjulSvgRenderer.Render(model, ArshjulPageLayout.Portrait));

        Assert.Empty(WithClass(phone, "legend"));
        Assert.Single(WithClass(portrait, "legend"));
        Assert.Equal("0 0 1032 1000", (string?)phone.Root!.Attribute("viewBox"));
        double MonthSize(XDocument d) => double.Parse((string)WithClass(d, "month-label").First().Attribute("font-size")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(MonthSize(phone) >= 1.5 * MonthSize(portrait), $"{MonthSize(phone)} vs {MonthSize(portrait)}");
        Assert.Equal(WithClass(portrait, "arc").Count(), WithClass(phone, "arc").Count());
    }
}
