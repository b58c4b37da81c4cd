using AnnualCycle.Arshjul.Export;
using AnnualCycle.Arshjul.Layout;
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
    /// <summary>A4 landscape in PDF points.</summary>
    private const float PageWidth = 842;
    private const float PageHeight = 595;
    private const float PageMargin = 24;

    /// <summary>A PNG <paramref name="width"/> pixels wide, its height in the drawing's proportions (1400 × 1000).</summary>
    public static byte[] ToPng(ArshjulModel model, int width = 1400)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 10_000);
        var scale = width / ArshjulLayout.Width;
        var height = (int)Math.Round(ArshjulLayout.Height * scale);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not create a bitmap surface.");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)scale);
        using (var painter = new SkiaScenePainter(canvas))
        {
            painter.Paint(WheelSceneBuilder.Build(model));
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A one-page vector PDF, A4 landscape, with the wheel's title and description as document metadata.</summary>
    public static byte[] ToPdf(ArshjulModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
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
            var canvas = document.BeginPage(PageWidth, PageHeight);
            var scale = (float)Math.Min((PageWidth - 2 * PageMargin) / ArshjulLayout.Width, (PageHeight - 2 * PageMargin) / ArshjulLayout.Height);
            canvas.Translate(
                (PageWidth - (float)ArshjulLayout.Width * scale) / 2,
                (PageHeight - (float)ArshjulLayout.Height * scale) / 2);
            canvas.Scale(scale);
            using (var painter = new SkiaScenePainter(canvas))
            {
                painter.Paint(WheelSceneBuilder.Build(model));
            }

            document.EndPage();
            document.Close();
        }

        return stream.ToArray();
    }
}
