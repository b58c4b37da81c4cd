namespace AnnualCycle.Runtime.Deliverables;

/// <summary>
/// The name an uploaded file is stored and offered for download under. It is shown in the journal, on the step page and
/// in the download's Content-Disposition, so it must read as what it is:
/// <list type="bullet">
/// <item>only the last path segment is kept (<c>/</c> and <c>\</c>), and characters no file system takes
/// (<c>: * ? " &lt; &gt; |</c>) become <c>_</c>; leading and trailing dots and spaces go (no <c>..</c>, no hidden file);</item>
/// <item>a name with a bidi control (e.g. U+202E RIGHT-TO-LEFT OVERRIDE, which shows <c>rapport‮fdp.exe</c> as
/// <c>rapportexe.pdf</c>) or any other control or format character (zero-width space, soft hyphen) is refused, naming the
/// field <c>file</c>: the sender meant something other than what a reader would see;</item>
/// <item>Unicode is composed (NFC), so <c>å</c> typed two ways is one name;</item>
/// <item>at most <see cref="MaxLength"/> characters: a longer stem is shortened and the extension kept.</item>
/// </list>
/// </summary>
internal static class DeliverableFileName
{
    public const int MaxLength = 150;

    private static readonly char[] PathSeparators = ['/', '\\'];
    private static readonly char[] Forbidden = [':', '*', '?', '"', '<', '>', '|'];

    public static string Normalize(string? name)
    {
        var text = name ?? "";
        foreach (var c in text)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                throw new InputException("file", $"the file name contains an invisible control character (U+{(int)c:X4}); rename the file");
            }
        }

        text = text.Normalize(NormalizationForm.FormC);
        text = text[(text.LastIndexOfAny(PathSeparators) + 1)..];
        foreach (var c in Forbidden)
        {
            text = text.Replace(c, '_');
        }

        text = text.Trim().Trim('.', ' ');
        if (text.Length == 0)
        {
            throw new InputException("file", "must have a file name");
        }

        if (text.Length > MaxLength)
        {
            var extension = Path.GetExtension(text);
            extension = extension.Length > 10 ? "" : extension;
            var stem = text[..^extension.Length];
            // Cut between whole characters: never half a surrogate pair.
            var cut = MaxLength - extension.Length;
            if (char.IsHighSurrogate(stem[cut - 1]))
            {
                cut--;
            }

            text = stem[..cut].TrimEnd('.', ' ') + extension;
        }

        return text;
    }
}
