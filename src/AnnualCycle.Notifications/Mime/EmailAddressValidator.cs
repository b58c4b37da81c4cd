using MimeKit;

namespace AnnualCycle.Notifications.Mime;

/// <summary>
/// Whether a string is one plain, deliverable-looking email address: the check for users' addresses when they are
/// created or changed, and for every recipient before a message is built. Stricter than
/// <see cref="MailboxAddress.TryParse(string, out MailboxAddress)"/> alone, which accepts display names, groups and
/// local-only addresses.
/// </summary>
public static class EmailAddressValidator
{
    /// <summary>RFC 5321: a path is at most 256 octets, so an address at most 254.</summary>
    public const int MaxLength = 254;

    public static bool IsValid(string? address) => Validate(address) is null;

    /// <summary>Null when valid, else a short English reason (for a 400 problem naming the field).</summary>
    public static string? Validate(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return "is empty";
        }

        if (address.Length > MaxLength)
        {
            return $"is longer than {MaxLength} characters";
        }

        if (address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "contains a space, line break or control character";
        }

        if (address.IndexOfAny(['<', '>', '(', ')', ',', ';', ':', '"', '[', ']', '\\']) >= 0)
        {
            return "must be a plain address like namn@region.se, without a display name";
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at != address.IndexOf('@') || at == address.Length - 1)
        {
            return "must contain exactly one @ with a name before and a domain after it";
        }

        var local = address[..at];
        var domain = address[(at + 1)..];
        if (local.Length > 64 || local.StartsWith('.') || local.EndsWith('.') || local.Contains("..", StringComparison.Ordinal))
        {
            return "has an invalid name before the @";
        }

        var labels = domain.Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-')
            || !l.All(c => char.IsLetterOrDigit(c) || c == '-')))
        {
            return "has an invalid domain (expected e.g. region.se)";
        }

        if (!MailboxAddress.TryParse(address, out var parsed) || !string.Equals(parsed.Address, address, StringComparison.Ordinal))
        {
            return "is not a valid email address";
        }

        return null;
    }

    /// <summary>Throws <see cref="InvalidEmailHeaderException"/> naming <paramref name="field"/> when the address is not valid.</summary>
    public static string EnsureValid(string? address, string field)
    {
        var reason = Validate(address);
        return reason is null ? address! : throw new InvalidEmailHeaderException(field, $"'{address}' {reason}.");
    }
}
