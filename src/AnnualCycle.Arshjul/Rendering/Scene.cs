namespace AnnualCycle.Arshjul.Rendering;

/// <summary>
/// The wheel as a small tree of drawing primitives. The SVG writer and the Skia painter (PNG, PDF) both draw this
/// one tree, so the exports cannot drift from the SVG. Coordinates are SVG user units in a
/// <see cref="Layout.ArshjulLayout.Width"/> × <see cref="Layout.ArshjulLayout.Height"/> box.
/// </summary>
public abstract record SceneNode;

/// <summary>A group: an SVG <c>&lt;g&gt;</c>, or an <c>&lt;a&gt;</c> when <see cref="Href"/> is set.</summary>
/// <param name="CssClass">Class for styling and for tests (e.g. <c>ring</c>, <c>arc</c>, <c>needle</c>).</param>
/// <param name="Tooltip">Written as the group's <c>&lt;title&gt;</c>: what hovering shows.</param>
/// <param name="Data">Extra <c>data-*</c> attributes, e.g. <c>body</c> and <c>step</c>, for scripts and tests.</param>
public sealed record SceneGroup(
    string? CssClass,
    IReadOnlyList<SceneNode> Children,
    string? Href = null,
    string? Tooltip = null,
    string? AriaLabel = null,
    IReadOnlyDictionary<string, string>? Data = null) : SceneNode;

/// <summary>A path in SVG path data (M, L, A, Z only). Null fill or stroke: none.</summary>
/// <param name="Hatch">Overlay diagonal hatching in <see cref="HatchColour"/>: the overdue pattern.</param>
/// <param name="EvenOdd">Fill with the even-odd rule (a ring with a hole).</param>
public sealed record ScenePath(
    string Data,
    string? Fill,
    string? Stroke = null,
    double StrokeWidth = 1,
    string? Dash = null,
    double Opacity = 1,
    bool Hatch = false,
    string HatchColour = "#000000",
    bool EvenOdd = false,
    string? CssClass = null) : SceneNode;

public enum TextAnchor
{
    Start,
    Middle,
    End,
}

/// <summary>A line of text whose baseline starts, centres or ends at (X, Y).</summary>
public sealed record SceneText(
    double X,
    double Y,
    string Text,
    double Size,
    string Fill,
    TextAnchor Anchor = TextAnchor.Start,
    bool Bold = false,
    string? CssClass = null) : SceneNode;

/// <summary>Text centred along a path: its baseline follows the path, glyphs on the path's left-hand side.</summary>
/// <param name="Id">Unique in the drawing: the SVG refers to the path by it.</param>
public sealed record SceneTextOnPath(
    string Id,
    string PathData,
    string Text,
    double Size,
    string Fill,
    bool Bold = false) : SceneNode;
