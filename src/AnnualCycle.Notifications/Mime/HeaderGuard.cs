namespace AnnualCycle.Notifications.Mime;

/// <summary>Thrown when a value meant for an email header carries a line break (header injection) or is not an address.</summary>
public sealed class InvalidEmailHeaderException(string field, string message) : ArgumentException($"{field}: {message}", field)
{
    public string Field { get; } = field;
}

/// <summary>Refuses CR and LF in header values: a line break would let user text add headers or recipients.</summary>
public static class HeaderGuard
{
    /// <summary>Returns <paramref name="value"/> unchanged, or throws <see cref="InvalidEmailHeaderException"/> naming the field.</summary>
    public static string NoLineBreaks(string value, string field)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.AsSpan().IndexOfAny('\r', '\n');
        if (at >= 0)
        {
            throw new InvalidEmailHeaderException(field, $"a line break (CR or LF) at position {at} is not allowed in an email header.");
        }

        return value;
    }
}
