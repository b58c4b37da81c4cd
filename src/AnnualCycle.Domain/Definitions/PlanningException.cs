using AnnualCycle.Domain.Definitions.Json;

namespace AnnualCycle.Domain.Definitions;

/// <summary>A date expression that cannot be resolved for a year, e.g. a meeting anchor with no matching meeting.</summary>
public sealed class PlanningException(string message, TextPosition position) : Exception(message)
{
    public TextPosition Position { get; } = position;
}
