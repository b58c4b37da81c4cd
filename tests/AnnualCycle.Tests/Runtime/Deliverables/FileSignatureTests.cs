using AnnualCycle.Runtime.Deliverables;

namespace AnnualCycle.Tests.Runtime.Deliverables;

/// <summary>An upload's first bytes must be those of its extension's type: a renamed program is not a PDF.</summary>
public sealed class FileSignatureTests
{
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00];

    public static TheoryData<string, byte[], bool> Cases => new()
    {
        { ".pdf", "%PDF-1.7\n%âãÏÓ"u8.ToArray(), true },
        { ".PDF", "\n%PDF-1.4"u8.ToArray(), true },
        { ".pdf", [0x4D, 0x5A, 0x90, 0x00], false }, // MZ: a Windows program
        { ".pdf", "<html><body>"u8.ToArray(), false },
        { ".docx", Zip, true },
        { ".xlsx", Zip, true },
        { ".pptx", Zip, true },
        { ".odt", Zip, true },
        { ".ods", Zip, true },
        { ".docx", "%PDF-1.7"u8.ToArray(), false },
        { ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00], true },
        { ".png", [0xFF, 0xD8, 0xFF, 0xE0], false },
        { ".jpg", [0xFF, 0xD8, 0xFF, 0xE0], true },
        { ".jpeg", [0xFF, 0xD8, 0xFF, 0xDB], true },
        { ".jpg", [0x89, 0x50, 0x4E, 0x47], false },
        { ".txt", "Verksamhetsplan 2027, åäö"u8.ToArray(), true },
        { ".csv", "organ;datum;rubrik\nHSN;2027-02-03;Sammanträde"u8.ToArray(), true },
        { ".txt", [0x4D, 0x5A, 0x00, 0x00], false },
        { ".exe", [0x4D, 0x5A, 0x90, 0x00], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_ComparesTheFirstBytesWithTheExtension(string extension, byte[] head, bool expected) =>
        Assert.Equal(expected, FileSignature.Matches(extension, head));
}
