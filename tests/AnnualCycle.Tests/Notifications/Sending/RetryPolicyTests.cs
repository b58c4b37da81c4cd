using AnnualCycle.Notifications.Sending;

namespace AnnualCycle.Tests.Notifications.Sending;

public class RetryPolicyTests
{
    private static readonly DateTimeOffset First = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Next_IsSent_WhenSent() =>
        Assert.Equal(new RetryDecision(DeliveryState.Sent, null), new RetryPolicy(new Random(1)).Next(1, First, First, SendOutcome.Sent));

    [Fact]
    public void Next_DeadLetters_OnPermanentFailure_AfterOneAttempt() =>
        Assert.Equal(new RetryDecision(DeliveryState.DeadLetter, null), new RetryPolicy(new Random(1)).Next(1, First, First, SendOutcome.PermanentFailure));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(30, 60)]
    public void Next_BacksOffExponentially_WithinTwentyPercent_CappedAtAnHour(int attempts, int minutes)
    {
        var policy = new RetryPolicy(new Random(attempts));
        var now = First.AddMinutes(5);
        var decisions = Enumerable.Range(0, 50).Select(_ => policy.Next(attempts, First, now, SendOutcome.TemporaryFailure)).ToList();

        Assert.All(decisions, d => Assert.Equal(DeliveryState.Retrying, d.State));
        var delays = decisions.Select(d => (d.NextAttemptAt!.Value - now).TotalMinutes).ToList();
        Assert.All(delays, m => Assert.InRange(m, minutes * 0.8, minutes * 1.2));
        Assert.True(delays.Distinct().Count() > 1, "jitter makes retries differ");
    }

    [Fact]
    public void Next_DeadLetters_WhenStillFailingAfter48Hours()
    {
        var policy = new RetryPolicy(new Random(1));
        Assert.Equal(DeliveryState.Retrying, policy.Next(40, First, First.AddHours(47).AddMinutes(59), SendOutcome.TemporaryFailure).State);
        Assert.Equal(new RetryDecision(DeliveryState.DeadLetter, null), policy.Next(41, First, First.AddHours(48), SendOutcome.TemporaryFailure));
    }

    [Fact]
    public void Next_NeverSchedulesPastThe48HourMark()
    {
        var decision = new RetryPolicy(new Random(1)).Next(40, First, First.AddHours(47).AddMinutes(59), SendOutcome.TemporaryFailure);
        Assert.Equal(First.AddHours(48), decision.NextAttemptAt);
    }

    [Fact]
    public void Next_IsRepeatable_WithTheSameSeed() =>
        Assert.Equal(
            new RetryPolicy(new Random(7)).Next(3, First, First, SendOutcome.TemporaryFailure),
            new RetryPolicy(new Random(7)).Next(3, First, First, SendOutcome.TemporaryFailure));
}
