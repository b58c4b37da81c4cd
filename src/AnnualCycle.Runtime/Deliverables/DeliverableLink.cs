namespace AnnualCycle.Runtime.Deliverables;

/// <summary>
/// A deliverable kept in another system, given as its address: the plan in Stratsys, the budget system's report, a
/// document in the intranet. Only an absolute http or https address is taken (what the step page shows as a link and an
/// export carries), at most 2,000 characters.
/// </summary>
public static class DeliverableLink
{
    public const int MaxLength = 2000;

    /// <summary>The link trimmed, or null when blank; else a 400 naming <paramref name="field"/>.</summary>
    public static string? Validate(string? link, string field = "deliverableLink")
    {
        if (string.IsNullOrWhiteSpace(link))
        {
            return null;
        }

        var trimmed = link.Trim();
        if (trimmed.Length > MaxLength)
        {
            throw new InputException(field, $"must be at most {MaxLength} characters");
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || string.IsNullOrEmpty(uri.Host)
            || trimmed.Any(char.IsControl) || trimmed.Any(char.IsWhiteSpace))
        {
            throw new InputException(field, "must be an http or https address, e.g. the plan in Stratsys or the budget system's report (https://…)");
        }

        return trimmed;
    }
}
