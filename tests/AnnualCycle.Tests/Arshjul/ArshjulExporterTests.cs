using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using AnnualCycle.Arshjul;
using AnnualCycle.Arshjul.Model;

namespace AnnualCycle.Tests.Arshjul;

public class ArshjulExporterTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void ToPdf_StartsWithThePdfHeader_AndEndsWithEof()
    {
        var pdf = ArshjulExporter.ToPdf(ArshjulDemo.Vasterbotten());
        var text = Encoding.Latin1.GetString(pdf);

        Assert.StartsWith("%PDF-", text);
        Assert.Contains("%%EOF", text[^32..]);
    }

    [Fact]
    public void ToPdf_HasAnXrefTable_WhoseOffsetsPointAtTheirObjects()
    {
        var text = Encoding.Latin1.GetString(ArshjulExporter.ToPdf(ArshjulDemo.Vasterbotten()));

        var startxref = Regex.Matches(text, @"startxref\s+(\d+)").Last();
        var xrefAt = int.Parse(startxref.Groups[1].Value);
        Assert.StartsWith("xref", text[xrefAt..]);

        // One subsection "first count", then count lines "oooooooooo ggggg n|f".
        var header = Regex.Match(text[xrefAt..], @"^xref\s+(\d+)\s+(\d+)\s+");
        Assert.True(header.Success, "the xref table has a subsection header");
        var first = int.Parse(header.Groups[1].Value);
        var count = int.Parse(header.Groups[2].Value);
        var entries = Regex.Matches(text[(xrefAt + header.Length)..], @"(\d{10}) (\d{5}) ([nf])").Take(count).ToList();
        Assert.Equal(count, entries.Count);

        var inUse = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Groups[3].Value != "n")
            {
                continue;
            }

            var offset = int.Parse(entries[i].Groups[1].Value);
            var objectNumber = first + i;
            Assert.Matches($@"^{objectNumber} \d+ obj\b", text.Substring(offset, Math.Min(32, text.Length - offset)));
            inUse++;
        }

        Assert.True(inUse > 5, "a page with fonts has more than a handful of objects");
        Assert.Matches(@"/Size " + count + @"\b", text[xrefAt..]);
    }

    [Fact]
    public void ToPdf_CarriesTheWheelsTitle_AsDocumentMetadata()
    {
        var text = Encoding.Latin1.GetString(ArshjulExporter.ToPdf(ArshjulDemo.Vasterbotten()));

        // Skia writes the Info strings as UTF-16BE hex: "Å" is 00C5, "r" 0072, "s" 0073.
        Assert.Contains("/Title <FEFF00C500720073", text);
    }

    [Theory]
    [InlineData(1400)]
    [InlineData(700)]
    public void ToPng_HasThePngSignature_AndTheRequestedWidth(int width)
    {
        var png = ArshjulExporter.ToPng(ArshjulDemo.Vasterbotten(), width);

        Assert.Equal(PngSignature, png[..8]);
        // IHDR is the first chunk: length (4), "IHDR" (4), then width and height as big-endian 32-bit integers.
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal((int)Math.Round(width * 1000 / 1400.0), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }

    [Fact]
    public void ToPng_Portrait_IsTallerThanWide()
    {
        var png = ArshjulExporter.ToPng(ArshjulDemo.Vasterbotten(), 390, ArshjulPageLayout.Portrait);

        Assert.Equal(390, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)) > 550);
    }

    [Theory]
    [InlineData(ArshjulPageLayout.Landscape, 842, 595)]
    [InlineData(ArshjulPageLayout.Portrait, 595, 842)]
    public void ToPdf_UsesAnA4Page_InTheAskedOrientation(ArshjulPageLayout page, int width, int height)
    {
        var text = Encoding.Latin1.GetString(ArshjulExporter.ToPdf(ArshjulDemo.Vasterbotten(), page));

        // Skia writes the page size as floats ("841.91998"): compare to whole points.
        var box = Regex.Match(text, @"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]");
        Assert.True(box.Success, "the page has a MediaBox");
        Assert.Equal(width, Math.Round(double.Parse(box.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(height, Math.Round(double.Parse(box.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void ToPng_Refuses_AnAbsurdWidth()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ArshjulExporter.ToPng(ArshjulDemo.Vasterbotten(), 10));
    }

    /// <summary>
    /// Writes the demo wheel as SVG, PNG and PDF under the test output (TestResults/arshjul) so a person can look at
    /// it; the SVG goes through Chromium for a screenshot when Debian's Chromium is installed (see STACK.md).
    /// </summary>
    [Fact]
    public void Demo_IsWrittenAsSvgPngAndPdf_ForPeopleToLookAt()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "arshjul");
        Directory.CreateDirectory(folder);
        var model = ArshjulDemo.Vasterbotten();

        File.WriteAllText(Path.Combine(folder, "arshjul-2026.svg"), ArshjulSvgRenderer.Render(model));
        File.WriteAllBytes(Path.Combine(folder, "arshjul-2026.png"), ArshjulExporter.ToPng(model, 1400));
        File.WriteAllBytes(Path.Combine(folder, "arshjul-2026.pdf"), ArshjulExporter.ToPdf(model));

        Assert.True(new FileInfo(Path.Combine(folder, "arshjul-2026.png")).Length > 50_000, "a drawn wheel is not a blank image");
    }
}
