using Microsoft.AspNetCore.Identity;

namespace AnnualCycle.Runtime.People;

/// <summary>
/// One mailbox, one account: the key under which an address is stored and looked up (Identity's <c>NormalizedEmail</c>
/// and <c>NormalizedUserName</c>; user names are the addresses). The same key serves creating a user, signing in with a
/// password and matching an OpenID Connect identity, so <c>Anna@Region.se</c>, <c> anna@region.se </c> and
/// <c>anna@region.se.</c> (a trailing dot: the same mailbox in DNS) all find the one account. Creating or renaming a user
/// refuses the odd spellings outright (<see cref="PeopleInput.Email"/>); looking one up forgives them.
/// </summary>
internal static class EmailAddresses
{
    public static string Normalize(string email)
    {
        var text = email.Trim().Normalize(NormalizationForm.FormKC);
        // Invisible format characters (zero-width space, bidi controls) would make two keys for one mailbox.
        text = string.Concat(text.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format));
        text = text.TrimEnd('.');
        return text.ToUpperInvariant();
    }
}

/// <summary>Identity's lookup normaliser replaced by <see cref="EmailAddresses.Normalize"/> for emails and user names alike.</summary>
internal sealed class EmailLookupNormalizer : ILookupNormalizer
{
    public string? NormalizeEmail(string? email) => email is null ? null : EmailAddresses.Normalize(email);

    public string? NormalizeName(string? name) => name is null ? null : EmailAddresses.Normalize(name);
}
