using System.Globalization;
using System.Text;
using System.Xml;

namespace AnnualCycle.Arshjul.Rendering;

/// <summary>Writes a scene as a standalone SVG document. All text goes through <see cref="XmlWriter"/>, which escapes it.</summary>
internal static class SvgSceneWriter
{
    private const string SvgNs = "http://www.w3.org/2000/svg";
    private const string XlinkNs = "http://www.w3.org/1999/xlink";
    private const string HatchId = "arshjul-hatch";

    /// <summary>Serif-free faces that carry å, ä, ö and the state signs on Windows, macOS and Linux alike.</summary>
    public const string FontFamily = "'Segoe UI', 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif";

    public static string Write(SceneGroup root, double width, double height, string title, string description, string language)
    {
        var output = new Utf8StringWriter();
        var settings = new XmlWriterSettings { Indent = false, OmitXmlDeclaration = false, Encoding = Encoding.UTF8 };
        using (var xml = XmlWriter.Create(output, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("svg", SvgNs);
            xml.WriteAttributeString("xmlns", "xlink", null, XlinkNs);
            xml.WriteAttributeString("xml", "lang", null, language);
            xml.WriteAttributeString("version", "1.1");
            xml.WriteAttributeString("viewBox", $"0 0 {N(width)} {N(height)}");
            xml.WriteAttributeString("width", "100%");
            xml.WriteAttributeString("preserveAspectRatio", "xMidYMid meet");
            // A wheel with links is a group of links (role img would hide them from assistive technology: an image's
            // children are presentational); a wheel without links is one image.
            xml.WriteAttributeString("role", HasLink(root) ? "group" : "img");
            xml.WriteAttributeString("aria-labelledby", "arshjul-title arshjul-desc");
            xml.WriteAttributeString("font-family", FontFamily);
            xml.WriteAttributeString("class", "arshjul");

            xml.WriteStartElement("title");
            xml.WriteAttributeString("id", "arshjul-title");
            xml.WriteString(title);
            xml.WriteEndElement();
            xml.WriteStartElement("desc");
            xml.WriteAttributeString("id", "arshjul-desc");
            xml.WriteString(description);
            xml.WriteEndElement();

            WriteDefs(xml);
            WriteNode(xml, root);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return output.ToString();
    }

    private static bool HasLink(SceneNode node) =>
        node is SceneGroup group && (group.Href is not null || group.Children.Any(HasLink));

    private static void WriteDefs(XmlWriter xml)
    {
        xml.WriteStartElement("style");
        // Hover and keyboard focus outline the arc; labels on top of arcs must not swallow the pointer.
        xml.WriteString(
            ".arshjul a .arc-shape{transition:stroke-width .1s}" +
            ".arshjul a:hover .arc-shape,.arshjul a:focus .arc-shape{stroke:#000;stroke-width:2.6;stroke-dasharray:none}" +
            ".arshjul a:focus{outline:none}" +
            ".arshjul .ring-label,.arshjul .arc text,.arshjul .tick{pointer-events:none}" +
            ".arshjul .meeting:hover path{transform-box:fill-box;transform-origin:center;transform:scale(1.5)}");
        xml.WriteEndElement();

        xml.WriteStartElement("defs");
        xml.WriteStartElement("pattern");
        xml.WriteAttributeString("id", HatchId);
        xml.WriteAttributeString("patternUnits", "userSpaceOnUse");
        xml.WriteAttributeString("width", "6");
        xml.WriteAttributeString("height", "6");
        xml.WriteAttributeString("patternTransform", "rotate(45)");
        xml.WriteStartElement("path");
        xml.WriteAttributeString("d", "M0 0L0 6");
        xml.WriteAttributeString("stroke", "#000000");
        xml.WriteAttributeString("stroke-width", "1.4");
        xml.WriteAttributeString("stroke-opacity", "0.35");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteNode(XmlWriter xml, SceneNode node)
    {
        switch (node)
        {
            case SceneGroup group:
                WriteGroup(xml, group);
                break;
            case ScenePath path:
                WritePath(xml, path);
                break;
            case SceneText text:
                WriteText(xml, text);
                break;
            case SceneTextOnPath onPath:
                WriteTextOnPath(xml, onPath);
                break;
            default:
                throw new NotSupportedException($"Unknown scene node {node.GetType().Name}.");
        }
    }

    private static void WriteGroup(XmlWriter xml, SceneGroup group)
    {
        if (group.Href is not null)
        {
            // SVG 2 reads href; SVG 1.1 tools (older converters, Inkscape 0.x) read only xlink:href.
            xml.WriteStartElement("a");
            xml.WriteAttributeString("href", group.Href);
            xml.WriteAttributeString("href", XlinkNs, group.Href);
        }
        else
        {
            xml.WriteStartElement("g");
        }

        if (group.CssClass is not null)
        {
            xml.WriteAttributeString("class", group.CssClass);
        }

        if (group.AriaLabel is not null)
        {
            if (group.Href is null)
            {
                // aria-label needs a role: a labelled mark (a meeting's diamond) is one small image, a labelled ring of
                // links is a group (an image's children would be presentational).
                xml.WriteAttributeString("role", HasLink(group) ? "group" : "img");
            }

            xml.WriteAttributeString("aria-label", group.AriaLabel);
        }

        foreach (var (key, value) in group.Data ?? new Dictionary<string, string>())
        {
            xml.WriteAttributeString("data-" + key, value);
        }

        if (group.Tooltip is not null)
        {
            xml.WriteStartElement("title");
            if (group.AriaLabel is not null)
            {
                // The tooltip is for the pointer; assistive technology already has the same words as the aria-label and
                // would otherwise count them as visible text of the link (axe label-content-name-mismatch).
                xml.WriteAttributeString("aria-hidden", "true");
            }

            xml.WriteString(group.Tooltip);
            xml.WriteEndElement();
        }

        foreach (var child in group.Children)
        {
            WriteNode(xml, child);
        }

        xml.WriteEndElement();
    }

    private static void WritePath(XmlWriter xml, ScenePath path)
    {
        xml.WriteStartElement("path");
        xml.WriteAttributeString("d", path.Data);
        xml.WriteAttributeString("fill", path.Fill ?? "none");
        if (path.Stroke is not null)
        {
            xml.WriteAttributeString("stroke", path.Stroke);
            xml.WriteAttributeString("stroke-width", N(path.StrokeWidth));
            xml.WriteAttributeString("stroke-linejoin", "round");
        }

        if (path.Dash is not null)
        {
            xml.WriteAttributeString("stroke-dasharray", path.Dash);
        }

        if (path.Opacity < 1)
        {
            xml.WriteAttributeString(path.Stroke is null ? "opacity" : "fill-opacity", N(path.Opacity));
        }

        if (path.EvenOdd)
        {
            xml.WriteAttributeString("fill-rule", "evenodd");
        }

        if (path.CssClass is not null)
        {
            xml.WriteAttributeString("class", path.CssClass);
        }

        xml.WriteEndElement();

        if (path.Hatch)
        {
            xml.WriteStartElement("path");
            xml.WriteAttributeString("d", path.Data);
            xml.WriteAttributeString("fill", $"url(#{HatchId})");
            xml.WriteAttributeString("class", "hatch");
            xml.WriteAttributeString("pointer-events", "none");
            xml.WriteEndElement();
        }
    }

    private static void WriteText(XmlWriter xml, SceneText text)
    {
        xml.WriteStartElement("text");
        xml.WriteAttributeString("x", N(text.X));
        xml.WriteAttributeString("y", N(text.Y));
        xml.WriteAttributeString("font-size", N(text.Size));
        xml.WriteAttributeString("fill", text.Fill);
        if (text.Anchor != TextAnchor.Start)
        {
            xml.WriteAttributeString("text-anchor", text.Anchor == TextAnchor.Middle ? "middle" : "end");
        }

        if (text.Bold)
        {
            xml.WriteAttributeString("font-weight", "600");
        }

        if (text.CssClass is not null)
        {
            xml.WriteAttributeString("class", text.CssClass);
        }

        xml.WriteString(text.Text);
        xml.WriteEndElement();
    }

    private static void WriteTextOnPath(XmlWriter xml, SceneTextOnPath text)
    {
        xml.WriteStartElement("path");
        xml.WriteAttributeString("id", text.Id);
        xml.WriteAttributeString("d", text.PathData);
        xml.WriteAttributeString("fill", "none");
        xml.WriteEndElement();

        xml.WriteStartElement("text");
        xml.WriteAttributeString("font-size", N(text.Size));
        xml.WriteAttributeString("fill", text.Fill);
        xml.WriteAttributeString("class", "arc-label");
        if (text.Bold)
        {
            xml.WriteAttributeString("font-weight", "600");
        }

        xml.WriteStartElement("textPath");
        xml.WriteAttributeString("href", "#" + text.Id);
        xml.WriteAttributeString("startOffset", "50%");
        xml.WriteAttributeString("text-anchor", "middle");
        xml.WriteString(text.Text);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter()
            : base(CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
