namespace AnnualCycle.Runtime.Cycles.Timers;

/// <summary>
/// What happens to a timer whose firing throws: it stays Pending with the error and is tried again after a backoff
/// (1, 2, 4, 8 minutes: the minute sweep picks it up), and after <see cref="MaxAttempts"/> failed attempts it is
/// Failed, shown to administrators next to the dead-lettered email, until one of them re-arms it. A timer that
/// cannot fire must not be retried every minute forever, nor silently.
/// </summary>
public static class TimerRetry
{
    public const int MaxAttempts = 5;

    /// <summary>The error as stored: at most this many characters.</summary>
    public const int MaxErrorLength = 2000;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based): 1 minute, doubling.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromMinutes(Math.Pow(2, Math.Clamp(attempts, 1, 10) - 1));

    public static string Describe(Exception ex)
    {
        var text = $"{ex.GetType().Name}: {ex.Message}";
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }
}
