using AnnualCycle.Arshjul.Layout;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Arshjul.Rendering;

namespace AnnualCycle.Arshjul;

/// <summary>Draws the årshjul of a calendar year as a standalone SVG document (serve it as <c>image/svg+xml</c>).</summary>
public static class ArshjulSvgRenderer
{
    /// <summary>
    /// A standalone SVG (UTF-8 XML with declaration), sized by its viewBox so it scales to any width. Each arc is a
    /// link to its step with the step's details as its <c>&lt;title&gt;</c>; all user text is XML-escaped.
    /// </summary>
    public static string Render(ArshjulModel model) => Render(model, ArshjulPageLayout.Landscape);

    /// <summary>As <see cref="Render(ArshjulModel)"/>, with the legend right of the wheel (landscape, 1400 × 1000) or
    /// below it (portrait, 1032 wide: for phones).</summary>
    public static string Render(ArshjulModel model, ArshjulPageLayout page)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scene = WheelSceneBuilder.Build(model, page);
        var (title, description) = Describe(model);
        return SvgSceneWriter.Write(scene.Root, scene.Width, scene.Height, title, description, model.IsEnglish ? "en" : "sv");
    }

    /// <summary>The document's accessible name and description, also used as the PDF's metadata.</summary>
    internal static (string Title, string Description) Describe(ArshjulModel model)
    {
        var texts = ArshjulTexts.For(model);
        var layout = ArshjulLayout.Arrange(model);
        return (
            texts.WheelTitle(model.CalendarYear, model.Title),
            texts.Summary(model.CalendarYear, layout.Rings.Count, layout.Arcs.Count, layout.Arcs.Count(a => a.Arc.Overdue), layout.Meetings.Count));
    }
}
