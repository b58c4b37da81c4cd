using AnnualCycle.Arshjul.Rendering;
using SkiaSharp;

namespace AnnualCycle.Arshjul.Export;

/// <summary>Paints a scene on a Skia canvas (a PNG bitmap or a PDF page): the same tree the SVG writer writes.</summary>
internal sealed class SkiaScenePainter : IDisposable
{
    // Families tried in order; DejaVu Sans first because it has every sign the legend uses (✓ × – …).
    private static readonly string[] Families = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Segoe UI"];

    private readonly SKCanvas _canvas;
    private readonly SKTypeface _regular;
    private readonly SKTypeface _bold;

    public SkiaScenePainter(SKCanvas canvas)
    {
        _canvas = canvas;
        _regular = Match(SKFontStyle.Normal);
        _bold = Match(SKFontStyle.Bold);
    }

    public void Paint(SceneNode node)
    {
        switch (node)
        {
            case SceneGroup group:
                foreach (var child in group.Children)
                {
                    Paint(child);
                }

                break;
            case ScenePath path:
                PaintPath(path);
                break;
            case SceneText text:
                PaintText(text);
                break;
            case SceneTextOnPath onPath:
                PaintTextOnPath(onPath);
                break;
            default:
                throw new NotSupportedException($"Unknown scene node {node.GetType().Name}.");
        }
    }

    public void Dispose()
    {
        _regular.Dispose();
        _bold.Dispose();
    }

    private void PaintPath(ScenePath scene)
    {
        using var path = SKPath.ParseSvgPathData(scene.Data)
            ?? throw new InvalidOperationException($"Scene path data does not parse: {scene.Data}");
        path.FillType = scene.EvenOdd ? SKPathFillType.EvenOdd : SKPathFillType.Winding;
        if (scene.Fill is not null)
        {
            using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = Colour(scene.Fill, scene.Opacity) };
            _canvas.DrawPath(path, fill);
        }

        if (scene.Hatch)
        {
            PaintHatch(path, scene.HatchColour);
        }

        if (scene.Stroke is not null)
        {
            using var stroke = new SKPaint
            {
                IsAntialias = true,
                Style = SKPaintStyle.Stroke,
                StrokeWidth = (float)scene.StrokeWidth,
                StrokeJoin = SKStrokeJoin.Round,
                Color = Colour(scene.Stroke, scene.Fill is null ? scene.Opacity : 1),
                PathEffect = scene.Dash is null ? null : SKPathEffect.CreateDash(Dashes(scene.Dash), 0),
            };
            _canvas.DrawPath(path, stroke);
        }
    }

    /// <summary>Diagonal lines clipped to the path: the overdue pattern, as the SVG's hatch pattern draws it.</summary>
    private void PaintHatch(SKPath path, string colour)
    {
        _canvas.Save();
        _canvas.ClipPath(path, SKClipOperation.Intersect, antialias: true);
        var bounds = path.Bounds;
        using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.4f, Color = Colour(colour, 0.35) };
        const float step = 8.5f;
        for (var x = bounds.Left - bounds.Height; x < bounds.Right; x += step)
        {
            _canvas.DrawLine(x, bounds.Bottom, x + bounds.Height, bounds.Top, line);
        }

        _canvas.Restore();
    }

    private void PaintText(SceneText text)
    {
        using var font = Font(text.Size, text.Bold);
        using var paint = new SKPaint { IsAntialias = true, Color = Colour(text.Fill, 1) };
        var align = text.Anchor switch
        {
            TextAnchor.Middle => SKTextAlign.Center,
            TextAnchor.End => SKTextAlign.Right,
            _ => SKTextAlign.Left,
        };
        _canvas.DrawText(text.Text, (float)text.X, (float)text.Y, align, font, paint);
    }

    /// <summary>Centred on the path like the SVG's <c>startOffset="50%"</c>; shrunk when this face is wider than the estimate.</summary>
    private void PaintTextOnPath(SceneTextOnPath text)
    {
        using var path = SKPath.ParseSvgPathData(text.PathData)
            ?? throw new InvalidOperationException($"Scene path data does not parse: {text.PathData}");
        using var measure = new SKPathMeasure(path);
        using var font = Font(text.Size, text.Bold);
        var width = font.MeasureText(text.Text);
        if (width > measure.Length && width > 0)
        {
            font.Size *= measure.Length / width;
            width = font.MeasureText(text.Text);
        }

        // Glyph by glyph along the path: SkiaSharp 3.119's DrawTextOnPath applies the offset twice.
        using var paint = new SKPaint { IsAntialias = true, Color = Colour(text.Fill, 1) };
        var x = (measure.Length - width) / 2;
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(text.Text);
        while (elements.MoveNext())
        {
            var glyph = elements.GetTextElement();
            var advance = font.MeasureText(glyph);
            if (measure.GetPositionAndTangent(x + advance / 2, out var position, out var tangent))
            {
                _canvas.Save();
                _canvas.Translate(position);
                _canvas.RotateRadians(MathF.Atan2(tangent.Y, tangent.X));
                _canvas.DrawText(glyph, -advance / 2, 0, SKTextAlign.Left, font, paint);
                _canvas.Restore();
            }

            x += advance;
        }
    }

    private SKFont Font(double size, bool bold) => new(bold ? _bold : _regular, (float)size) { Subpixel = true };

    private static SKTypeface Match(SKFontStyle style)
    {
        foreach (var family in Families)
        {
            var typeface = SKFontManager.Default.MatchFamily(family, style);
            if (typeface is not null)
            {
                return typeface;
            }
        }

        // No known family installed: Skia's default face (on a machine without fonts, text is then not drawn).
        return SKTypeface.CreateDefault();
    }

    private static SKColor Colour(string hex, double opacity)
    {
        var colour = SKColor.Parse(hex);
        return opacity >= 1 ? colour : colour.WithAlpha((byte)Math.Round(colour.Alpha * Math.Clamp(opacity, 0, 1)));
    }

    private static float[] Dashes(string dash) =>
        dash.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => float.Parse(d, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
}
