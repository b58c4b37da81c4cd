using System.Net.Mail;

namespace AnnualCycle.Runtime.People;

/// <summary>Checks of free text that ends up in emails and in the journal: each failure names its field.</summary>
internal static class PeopleInput
{
    public static readonly string[] Languages = ["sv", "en"];

    /// <summary>Trimmed text; refuses (before trimming, so a trailing line break counts too) empty (when required), CR, LF and other control characters, and text longer than <paramref name="maxLength"/>.</summary>
    public static string Text(string field, string? value, int maxLength, bool required = true)
    {
        var text = value?.Trim() ?? "";
        if (required && text.Length == 0)
        {
            throw new InputException(field, "is required");
        }

        // CR/LF would let a value break out of an email header or a CSV line of the journal; a bidi override
        // (U+202A–U+202E, U+2066–U+2069) would make it read differently from what it is.
        if ((value ?? "").Any(c => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')))
        {
            throw new InputException(field, "must not contain line breaks or control characters");
        }

        if (text.Length > maxLength)
        {
            throw new InputException(field, $"must be at most {maxLength} characters");
        }

        return text;
    }

    /// <summary>
    /// A plain address (<c>name@domain</c>), trimmed and lower-cased; no display name, no line breaks. One mailbox has one
    /// account, so spellings that reach the same mailbox under another key are refused: a trailing dot
    /// (<c>user@demo.local.</c>), invisible format characters (zero-width space, bidi controls) and characters that Unicode
    /// compatibility folds into others (full-width letters, ligatures). Look-ups use <see cref="EmailAddresses.Normalize"/>.
    /// </summary>
    public static string Email(string field, string? value)
    {
        var text = Text(field, value, 254);
        if (text.EndsWith('.'))
        {
            throw new InputException(field, "must not end with a dot");
        }

        if (text.Any(c => char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            || !string.Equals(text, text.Normalize(System.Text.NormalizationForm.FormKC), StringComparison.Ordinal)
            || text.Contains("..", StringComparison.Ordinal))
        {
            throw new InputException(field, "is not a valid email address");
        }

        if (!MailAddress.TryCreate(text, out var address)
            || !string.Equals(address.Address, text, StringComparison.OrdinalIgnoreCase)
            || !address.Host.Contains('.', StringComparison.Ordinal) && address.Host != "localhost"
            || text.Contains(' ', StringComparison.Ordinal))
        {
            throw new InputException(field, "is not a valid email address");
        }

        return text.ToLowerInvariant();
    }

    public static string Language(string field, string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? "sv" : Text(field, value, 2).ToLowerInvariant();
        return Languages.Contains(text) ? text : throw new InputException(field, "must be \"sv\" or \"en\"");
    }
}
