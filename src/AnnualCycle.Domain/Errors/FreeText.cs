namespace AnnualCycle.Domain.Errors;

/// <summary>
/// The one rule for free text a person types into a command (a comment, a reason): at most <see cref="MaxLength"/>
/// characters, else a 400 naming the field. The text is kept as given.
/// </summary>
public static class FreeText
{
    /// <summary>Enough for a long paragraph; a 5,000,000-character "reason" is refused, not stored.</summary>
    public const int MaxLength = 4000;

    /// <summary>The text, or null when blank; throws <see cref="InputException"/> naming <paramref name="field"/> when too long.</summary>
    public static string? Optional(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return text.Length > MaxLength ? throw new InputException(field, $"must be at most {MaxLength} characters") : text;
    }

    /// <summary>As <see cref="Optional"/>, and a blank text is refused with <paramref name="whenMissing"/>.</summary>
    public static string Required(string field, string? text, string whenMissing = "is required") =>
        Optional(field, text) ?? throw new InputException(field, whenMissing);
}
