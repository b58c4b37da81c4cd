using AnnualCycle.Domain.Definitions.Json;

namespace AnnualCycle.Domain.Definitions;

/// <summary>A date expression that cannot be resolved for a year, e.g. a meeting anchor with no matching meeting.</summary>
public sealed class PlanningException(string message, TextPosition position) : Exception(message)
{
    public TextPosition Position { get; } = position;

    /// <summary>The cause in Swedish, for the people who plan (an import's impact list); null when only the English message exists.</summary>
    public string? Swedish { get; init; }
}
