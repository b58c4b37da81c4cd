namespace AnnualCycle.Runtime.Deliverables;

/// <summary>
/// Whether a file's first bytes are what its extension says (its "magic bytes"): a browser's content type follows the
/// extension, so renaming virus.exe to plan.pdf passes both; the bytes do not lie so easily. Office Open XML and
/// OpenDocument files are ZIP archives; text and CSV must not hold NUL bytes (a binary file renamed to .txt).
/// </summary>
public static class FileSignature
{
    /// <summary>How many leading bytes <see cref="Matches"/> looks at.</summary>
    public const int HeadLength = 8192;

    private static readonly byte[] Pdf = "%PDF-"u8.ToArray();
    private static readonly byte[] Zip = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    /// <param name="extension">With its dot, any case (".PDF").</param>
    /// <param name="head">The file's first bytes (up to <see cref="HeadLength"/>).</param>
    public static bool Matches(string extension, ReadOnlySpan<byte> head) => extension.ToLowerInvariant() switch
    {
        ".pdf" => ContainsNearStart(head, Pdf),
        ".docx" or ".xlsx" or ".pptx" or ".odt" or ".ods" => head.StartsWith(Zip),
        ".png" => head.StartsWith(Png),
        ".jpg" or ".jpeg" => head.StartsWith(Jpeg),
        ".txt" or ".csv" => !head.Contains((byte)0),
        _ => false,
    };

    // Some PDF writers put a byte-order mark or a blank line before "%PDF-"; readers accept a header in the first KB.
    private static bool ContainsNearStart(ReadOnlySpan<byte> head, ReadOnlySpan<byte> magic)
    {
        var window = head[..Math.Min(head.Length, 1024)];
        return window.IndexOf(magic) >= 0;
    }
}
