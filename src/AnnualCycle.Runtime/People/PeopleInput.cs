using System.Net.Mail;
using AnnualCycle.Domain.Errors;

namespace AnnualCycle.Runtime.People;

/// <summary>Checks of free text that ends up in emails and in the journal: each failure names its field.</summary>
public static class PeopleInput
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

        // CR/LF would let a value break out of an email header or a CSV line of the journal.
        if ((value ?? "").Any(char.IsControl))
        {
            throw new InputException(field, "must not contain line breaks or control characters");
        }

        if (text.Length > maxLength)
        {
            throw new InputException(field, $"must be at most {maxLength} characters");
        }

        return text;
    }

    /// <summary>A plain address (<c>name@domain</c>), lower-cased; no display name, no line breaks.</summary>
    public static string Email(string field, string? value)
    {
        var text = Text(field, value, 254);
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
