using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles;

namespace AnnualCycle.Tests.Runtime.Cycles;

public sealed class StepTransitionsTests
{
    [Theory]
    [InlineData(StepAction.Open, StepState.Planned)]
    [InlineData(StepAction.Submit, StepState.Opened)]
    [InlineData(StepAction.Approve, StepState.Submitted)]
    [InlineData(StepAction.Return, StepState.Submitted)]
    [InlineData(StepAction.Confirm, StepState.Opened)]
    [InlineData(StepAction.Skip, StepState.Planned)]
    [InlineData(StepAction.Skip, StepState.Opened)]
    [InlineData(StepAction.Skip, StepState.Submitted)]
    [InlineData(StepAction.Cancel, StepState.Opened)]
    [InlineData(StepAction.Reschedule, StepState.Submitted)]
    [InlineData(StepAction.Remind, StepState.Opened)]
    public void Ensure_Passes_WhenActionIsAllowedFromState(StepAction action, StepState from) =>
        StepTransitions.Ensure("k", action, from);

    [Fact]
    public void Approve_Throws409_WhenStepAlreadyCompleted()
    {
        var error = Assert.Throws<IllegalTransitionException>(() => StepTransitions.Ensure("hsn-namndplan", StepAction.Approve, StepState.Completed));
        Assert.Equal("Step hsn-namndplan cannot change from Completed to Approved.", error.Message);
        Assert.Equal("Completed", error.From);
    }

    [Theory]
    [InlineData(StepAction.Submit, StepState.Planned)]
    [InlineData(StepAction.Submit, StepState.Submitted)]
    [InlineData(StepAction.Submit, StepState.Completed)]
    [InlineData(StepAction.Submit, StepState.Returned)]
    [InlineData(StepAction.Approve, StepState.Opened)]
    [InlineData(StepAction.Return, StepState.Opened)]
    [InlineData(StepAction.Return, StepState.Completed)]
    [InlineData(StepAction.Confirm, StepState.Planned)]
    [InlineData(StepAction.Skip, StepState.Completed)]
    [InlineData(StepAction.Skip, StepState.Cancelled)]
    [InlineData(StepAction.Cancel, StepState.Skipped)]
    [InlineData(StepAction.Reschedule, StepState.Completed)]
    [InlineData(StepAction.Remind, StepState.Submitted)]
    [InlineData(StepAction.Open, StepState.Opened)]
    public void Ensure_Throws409WithFromAndTo_WhenActionIsNotAllowedFromState(StepAction action, StepState from)
    {
        var error = Assert.Throws<IllegalTransitionException>(() => StepTransitions.Ensure("k", action, from));
        Assert.Contains($"from {from} to {StepTransitions.TargetName(action)}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StepState.Completed, true)]
    [InlineData(StepState.Skipped, true)]
    [InlineData(StepState.Cancelled, true)]
    [InlineData(StepState.Opened, false)]
    [InlineData(StepState.Submitted, false)]
    [InlineData(StepState.Planned, false)]
    public void IsResolved_CountsCompletedSkippedAndCancelled(StepState state, bool resolved) =>
        Assert.Equal(resolved, StepTransitions.IsResolved(state));

    [Fact]
    public void IsOverdue_IsTrue_OnlyAfterDueAndWhileUnresolved()
    {
        var due = new DateTime(2026, 6, 5, 21, 59, 0, DateTimeKind.Utc);
        Assert.False(StepTransitions.IsOverdue(StepState.Opened, due, due));
        Assert.True(StepTransitions.IsOverdue(StepState.Opened, due, due.AddMinutes(1)));
        Assert.True(StepTransitions.IsOverdue(StepState.Submitted, due, due.AddDays(3)));
        Assert.False(StepTransitions.IsOverdue(StepState.Completed, due, due.AddDays(3)));
        Assert.False(StepTransitions.IsOverdue(StepState.Skipped, due, due.AddDays(3)));
    }
}
