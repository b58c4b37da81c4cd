namespace AnnualCycle.Notifications.Sending;

/// <summary>The state of an outbox row after an attempt.</summary>
public enum DeliveryState
{
    Pending,
    Sending,
    Sent,
    Retrying,
    DeadLetter,
}

/// <summary>The decision after one attempt: the row's next state and, when Retrying, when to try again.</summary>
public readonly record struct RetryDecision(DeliveryState State, DateTimeOffset? NextAttemptAt);

/// <summary>
/// When to try a message again. Pure: the same inputs give the same decision (the jitter comes from the injected
/// <see cref="Random"/>). Backoff is <see cref="BaseDelay"/> × 2^(attempts − 1), at most <see cref="MaxDelay"/>,
/// ±20 % jitter so that a batch that failed together does not retry together. A permanent failure, or a
/// temporary one when <see cref="GiveUpAfter"/> has passed since the first attempt (or the next try would come
/// after it), dead-letters the row.
/// </summary>
public sealed class RetryPolicy(Random random)
{
    public static readonly TimeSpan BaseDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(48);
    public const double Jitter = 0.2;

    /// <summary>Decides after an attempt.</summary>
    /// <param name="attempts">Attempts made so far, including the one that just ended (1 after the first).</param>
    /// <param name="firstAttemptAt">When the first attempt was made.</param>
    /// <param name="now">Now.</param>
    /// <param name="outcome">What the attempt gave.</param>
    public RetryDecision Next(int attempts, DateTimeOffset firstAttemptAt, DateTimeOffset now, SendOutcome outcome)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        switch (outcome)
        {
            case SendOutcome.Sent:
                return new RetryDecision(DeliveryState.Sent, null);
            case SendOutcome.PermanentFailure:
                return new RetryDecision(DeliveryState.DeadLetter, null);
        }

        var deadline = firstAttemptAt + GiveUpAfter;
        if (now >= deadline)
        {
            return new RetryDecision(DeliveryState.DeadLetter, null);
        }

        var next = now + Delay(attempts);
        // The last try happens at the 48-hour mark rather than never.
        return new RetryDecision(DeliveryState.Retrying, next > deadline ? deadline : next);
    }

    /// <summary>The wait after <paramref name="attempts"/> attempts, jitter included: ~1 min, ~2, ~4 … up to ~1 h.</summary>
    public TimeSpan Delay(int attempts)
    {
        var exponent = Math.Min(attempts - 1, 20);
        var ticks = Math.Min(BaseDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        var factor = 1 + (((random.NextDouble() * 2) - 1) * Jitter);
        return TimeSpan.FromTicks((long)(ticks * factor));
    }
}
