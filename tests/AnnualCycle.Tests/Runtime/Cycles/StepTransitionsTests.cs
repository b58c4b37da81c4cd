using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// The state machine, walked cell by cell: every (state × action × kind) against a grid written here by hand, through
/// the table and through <see cref="StepInstanceEntity.Apply"/> itself (state, journal from/to, concurrency token).
/// </summary>
public sealed class StepTransitionsTests
{
    private static readonly StepState[] States = Enum.GetValues<StepState>();

    /// <summary>
    /// The expected machine. Columns: Planned, Opened, Submitted, Returned, Completed, Skipped, Cancelled. A cell is the
    /// state the action leads to, "=" when it stays, "-" when refused. Kinds: T = submitted kinds (task, approval),
    /// M = confirmed kinds (meeting, milestone, decision), * = every kind.
    /// </summary>
    private static readonly Dictionary<StepAction, (string Kinds, string[] Cells)> Grid = new()
    {
        //                                      Planned      Opened       Submitted    Returned     Completed Skipped Cancelled
        [StepAction.Open] = ("*", ["Opened", "-", "-", "-", "-", "-", "-"]),
        [StepAction.Upload] = ("T", ["-", "=", "-", "=", "-", "-", "-"]),
        [StepAction.Submit] = ("T", ["-", "Submitted", "-", "Submitted", "-", "-", "-"]),
        [StepAction.Approve] = ("T", ["-", "-", "=", "-", "-", "-", "-"]),
        [StepAction.Return] = ("T", ["-", "-", "Returned", "-", "-", "-", "-"]),
        [StepAction.Complete] = ("T", ["-", "-", "Completed", "-", "-", "-", "-"]),
        [StepAction.Confirm] = ("M", ["-", "Completed", "-", "-", "-", "-", "-"]),
        [StepAction.Remind] = ("*", ["-", "=", "-", "=", "-", "-", "-"]),
        [StepAction.Reschedule] = ("*", ["=", "=", "=", "=", "-", "-", "-"]),
        [StepAction.Skip] = ("*", ["Skipped", "Skipped", "Skipped", "Skipped", "-", "-", "-"]),
        [StepAction.Cancel] = ("*", ["Cancelled", "Cancelled", "Cancelled", "Cancelled", "-", "-", "-"]),
        [StepAction.MarkDone] = ("*", ["Completed", "-", "-", "-", "-", "-", "-"]),
    };

    public static TheoryData<StepState, StepAction, StepKind> EveryCell()
    {
        var data = new TheoryData<StepState, StepAction, StepKind>();
        foreach (var state in States)
        {
            foreach (var action in Enum.GetValues<StepAction>())
            {
                foreach (var kind in Enum.GetValues<StepKind>())
                {
                    data.Add(state, action, kind);
                }
            }
        }

        return data;
    }

    [Fact]
    public void Grid_CoversEveryAction_AndTheTableHasOneRowEach()
    {
        Assert.Equal(Enum.GetValues<StepAction>().Order(), Grid.Keys.Order());
        Assert.Equal(Enum.GetValues<StepAction>().Order(), StepTransitions.Rules.Select(r => r.Action).Order());
    }

    [Theory]
    [MemberData(nameof(EveryCell))]
    public void EveryStateActionAndKind_FollowsTheGrid(StepState state, StepAction action, StepKind kind)
    {
        var (kinds, cells) = Grid[action];
        var cell = cells[Array.IndexOf(States, state)];
        var confirmed = kind is StepKind.Meeting or StepKind.Milestone or StepKind.Decision;
        var kindFits = kinds == "*" || (kinds == "M") == confirmed;
        var allowed = kindFits && cell != "-";
        Assert.Equal(allowed, StepTransitions.IsAllowed(action, state, kind));

        var step = Reach(state, kind, new Recorder());
        if (step is null)
        {
            return; // a meeting is never submitted or returned: the table's answer above is all there is
        }

        var journal = new Recorder();
        var version = step.Version;
        if (!allowed)
        {
            var error = Assert.Throws<IllegalTransitionException>(() => step.Apply(action, "u", null, null, journal));
            Assert.Contains($"from {state} to {StepTransitions.TargetName(action)}", error.Message, StringComparison.Ordinal);
            Assert.Equal((state, version), (step.State, step.Version));
            Assert.Empty(journal.Entries);
            return;
        }

        var expected = cell == "=" ? state : Enum.Parse<StepState>(cell);
        step.Apply(action, "u", "principal", "why", journal);
        Assert.Equal(expected, step.State);
        Assert.Equal(version + 1, step.Version);
        var entry = Assert.Single(journal.Entries);
        Assert.Equal((state, expected, "u", "principal", "why"), (entry.Transition.From, entry.Transition.To, entry.Actor, entry.OnBehalfOf, entry.Comment));
        Assert.Equal(StepTransitions.Rule(action).JournalAction, entry.Transition.JournalAction);
    }

    [Fact]
    public void Submit_OfAMeeting_IsRefusedByKind_AndConfirm_OfATask()
    {
        var meeting = Reach(StepState.Opened, StepKind.Meeting, new Recorder())!;
        var error = Assert.Throws<IllegalTransitionException>(() => meeting.Apply(StepAction.Submit, "u", null, null, new Recorder()));
        Assert.Equal("Step k cannot change from Opened to Submitted: a Meeting is confirmed, not submitted", error.Message);
        var task = Reach(StepState.Opened, StepKind.Task, new Recorder())!;
        Assert.Contains("a Task is submitted, not confirmed", Assert.Throws<IllegalTransitionException>(() => task.Apply(StepAction.Confirm, "u", null, null, new Recorder())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Approve_Throws409_WhenStepAlreadyCompleted()
    {
        var error = Assert.Throws<IllegalTransitionException>(() => StepTransitions.Ensure("hsn-namndplan", StepAction.Approve, StepState.Completed, StepKind.Task));
        Assert.Equal("Step hsn-namndplan cannot change from Completed to Approved.", error.Message);
        Assert.Equal("Completed", error.From);
    }

    [Fact]
    public void Apply_StampsWhoAndWhen_AndAReturnStartsANewRound()
    {
        var journal = new Recorder();
        var step = Reach(StepState.Submitted, StepKind.Task, journal)!;
        Assert.Equal((journal.Now, journal.Now), (step.OpenedAtUtc, step.SubmittedAtUtc));
        Assert.Equal(("submitter", "principal", "klart"), (step.SubmittedByUserId, step.SubmittedOnBehalfOfUserId, step.Comment));

        step.Apply(StepAction.Return, "approver", null, "saknar bilaga", journal);
        Assert.Equal((StepState.Returned, 2, 1, "saknar bilaga"), (step.State, step.Round, step.ReturnCount, step.Reason));
        step.Apply(StepAction.Submit, "other", null, "nu med bilaga", journal);
        step.Apply(StepAction.Complete, "approver", null, null, journal);
        Assert.Equal((StepState.Completed, journal.Now), (step.State, step.CompletedAtUtc));
        Assert.Equal(["Opened", "Submitted", "Returned", "Submitted", "Completed"], journal.Entries.Select(e => e.Transition.JournalAction));
    }

    [Theory]
    [InlineData(StepState.Completed, true)]
    [InlineData(StepState.Skipped, true)]
    [InlineData(StepState.Cancelled, true)]
    [InlineData(StepState.Opened, false)]
    [InlineData(StepState.Submitted, false)]
    [InlineData(StepState.Returned, false)]
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
        Assert.True(StepTransitions.IsOverdue(StepState.Returned, due, due.AddDays(3)));
        Assert.False(StepTransitions.IsOverdue(StepState.Completed, due, due.AddDays(3)));
        Assert.False(StepTransitions.IsOverdue(StepState.Skipped, due, due.AddDays(3)));
    }

    /// <summary>A step of the kind brought to the state through <see cref="StepInstanceEntity.Apply"/> only; null when the kind never gets there.</summary>
    internal static StepInstanceEntity? Reach(StepState state, StepKind kind, IStepJournal journal)
    {
        var step = new StepInstanceEntity { Key = "k", StepId = "k", Title = "k", Kind = kind, BodyId = "HSN", Phase = "budget" };
        var confirmed = StepTransitions.IsConfirmedKind(kind);
        StepAction[] path = state switch
        {
            StepState.Planned => [],
            StepState.Opened => [StepAction.Open],
            StepState.Submitted when !confirmed => [StepAction.Open, StepAction.Submit],
            StepState.Returned when !confirmed => [StepAction.Open, StepAction.Submit, StepAction.Return],
            StepState.Completed => confirmed ? [StepAction.Open, StepAction.Confirm] : [StepAction.Open, StepAction.Submit, StepAction.Complete],
            StepState.Skipped => [StepAction.Skip],
            StepState.Cancelled => [StepAction.Cancel],
            _ => [],
        };
        if (path.Length == 0 && state != StepState.Planned)
        {
            return null;
        }

        foreach (var action in path)
        {
            step.Apply(action, action == StepAction.Submit ? "submitter" : "system", action == StepAction.Submit ? "principal" : null, action == StepAction.Submit ? "klart" : null, journal);
        }

        Assert.Equal(state, step.State);
        return step;
    }

    internal sealed class Recorder : IStepJournal
    {
        public List<(StepTransition Transition, string Actor, string? OnBehalfOf, string? Comment)> Entries { get; } = [];

        public DateTime Now { get; } = new(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc);

        public void Record(StepInstanceEntity step, StepTransition transition, string actorUserId, string? onBehalfOfUserId, string? comment, string? subject) =>
            Entries.Add((transition, actorUserId, onBehalfOfUserId, comment));
    }
}
