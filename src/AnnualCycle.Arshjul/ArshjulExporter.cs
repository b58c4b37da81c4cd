using AnnualCycle.Arshjul.Export;
using AnnualCycle.Arshjul.Model;
using AnnualCycle.Arshjul.Rendering;
using SkiaSharp;

namespace AnnualCycle.Arshjul;

/// <summary>
/// PNG and PDF of the same wheel as <see cref="ArshjulSvgRenderer"/>, drawn in process with SkiaSharp (no external
/// program). Text uses an installed sans-serif face (DejaVu Sans, Liberation Sans, Arial…): the host needs one
/// (Debian: fonts-dejavu-core), else shapes are drawn without text.
/// </summary>
public static class ArshjulExporter
{
    /// <summary>A4 in PDF points.</summary>
    private const float A4Long = 842;
    private const float A4Short = 595;
    private const float PageMargin = 24;

    /// <summary>A PNG <paramref name="width"/> pixels wide, its height in the drawing's proportions
    /// (landscape 1400 × 1000; portrait about 1032 × 1600).</summary>
    public static byte[] ToPng(ArshjulModel model, int width = 1400, ArshjulPageLayout page = ArshjulPageLayout.Landscape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 10_000);
        var scene = WheelSceneBuilder.Build(model, page);
        var scale = width / scene.Width;
        var height = (int)Math.Round(scene.Height * scale);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not create a bitmap surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)scale);
        using (var painter = new SkiaScenePainter(canvas))
        {
            painter.Paint(scene.Root);
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A one-page vector PDF on A4 (landscape or portrait as <paramref name="page"/>), with the wheel's
    /// title and description as document metadata.</summary>
    public static byte[] ToPdf(ArshjulModel model, ArshjulPageLayout page = ArshjulPageLayout.Landscape)
    {
        ArgumentNullException.ThrowIfNull(model);
        var scene = WheelSceneBuilder.Build(model, page);
        var (pageWidth, pageHeight) = page == ArshjulPageLayout.Portrait ? (A4Short, A4Long) : (A4Long, A4Short);
        var (title, description) = ArshjulSvgRenderer.Describe(model);
        var metadata = new SKDocumentPdfMetadata
        {
            Title = title,
            Subject = description,
            Creator = "AnnualCycle",
            Producer = "AnnualCycle årshjul",
            RasterDpi = 300,
        };
        using var stream = new MemoryStream();
        using (var document = SKDocument.CreatePdf(stream, metadata)
            ?? throw new InvalidOperationException("Skia could not create a PDF document."))
        {
            var canvas = document.BeginPage(pageWidth, pageHeight);
            var scale = (float)Math.Min((pageWidth - 2 * PageMargin) / scene.Width, (pageHeight - 2 * PageMargin) / scene.Height);
            canvas.Translate((pageWidth - (float)scene.Width * scale) / 2, (pageHeight - (float)scene.Height * scale) / 2);
            canvas.Scale(scale);
            using (var painter = new SkiaScenePainter(canvas))
            {
                painter.Paint(scene.Root);
            }

            document.EndPage();
            document.Close();
        }

        return stream.ToArray();
    }
}
