namespace AnnualCycle.Runtime.Cycles.Commands;

/// <summary>
/// How a command on one step runs: in one unit of work (<see cref="EngineWork"/>) with the step, its cycle and its round
/// loaded; a lost race reported as the step is now (409). The handlers differ only in what they do inside.
/// </summary>
internal static class StepCommand
{
    public static Task<StepDto> RunAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Guid stepId, StepAction action, Func<EngineWork, StepContext, Task> body, CancellationToken ct) =>
        EngineWork.RunAsync(db, clock, async work =>
        {
            var context = await lifecycle.LoadAsync(db, stepId, ct);
            await body(work, context);
            return StepDto.From(context.Step, work.Now);
        }, StepLifecycle.ConflictReporter(db, stepId, action), ct);

    /// <summary>
    /// The current approver's decision (approve or return), checked by the one rule (<see cref="StepCapabilities"/>)
    /// and recorded on the round's current approval; <paramref name="then"/> moves the step on.
    /// </summary>
    /// <param name="meetingDate">For a signature that records the nämnd's decision (<see cref="StepCapabilities.DecisionOf"/>): the meeting's date.</param>
    /// <param name="paragraph">As <paramref name="meetingDate"/>: the minutes' paragraph (§).</param>
    public static Task<StepDto> DecideAsync(AnnualCycleDbContext db, TimeProvider clock, StepLifecycle lifecycle, Actor actor, Guid stepId, StepAction action, string? comment,
        Func<EngineWork, StepContext, StepAuthorization.Authority, ApprovalInstanceEntity, MeetingDecision?, Task> then, CancellationToken ct,
        DateOnly? meetingDate = null, string? paragraph = null) =>
        RunAsync(db, clock, lifecycle, stepId, action, async (work, context) =>
        {
            var (authority, approval) = await StepLifecycle.RequireDecisionAsync(db, context, actor, action);
            var decision = Meeting(StepCapabilities.DecisionOf(action, context.Step, approval), meetingDate, paragraph, lifecycle.LocalDate(work.Now));
            approval.Decide(action == StepAction.Approve ? ApprovalState.Approved : ApprovalState.Returned, authority.At(work.Now), comment, decision);
            await then(work, context, authority, approval, decision);
        }, ct);

    /// <summary>
    /// The meeting date and § of an action that records a body's decision (<paramref name="decisionOf"/>, from
    /// <see cref="StepCapabilities.DecisionOf"/>), checked: both required, the paragraph one line of at most
    /// <see cref="MeetingDecision.MaxParagraphLength"/> characters (trimmed), and no decision confirmed before its meeting
    /// (a date after <paramref name="today"/>, the local date of the clock). An action that records no decision takes
    /// neither. Throws <see cref="InputException"/> naming <c>meetingDate</c> or <c>paragraph</c> (400) before anything is written.
    /// </summary>
    public static MeetingDecision? Meeting(string? decisionOf, DateOnly? meetingDate, string? paragraph, DateOnly today)
    {
        var text = string.IsNullOrWhiteSpace(paragraph) ? null : paragraph.Trim();
        if (decisionOf is null)
        {
            return meetingDate is null && text is null ? null
                : throw new InputException(meetingDate is null ? "paragraph" : "meetingDate", "only the decision of a body at its meeting carries a meeting date and a paragraph");
        }

        if (meetingDate is not { } date)
        {
            throw new InputException("meetingDate", "is required");
        }

        if (date > today)
        {
            throw new InputException("meetingDate", $"cannot confirm a decision before its meeting ({date:yyyy-MM-dd} is after today, {today:yyyy-MM-dd})");
        }

        if (text is null)
        {
            throw new InputException("paragraph", "is required");
        }

        if (text.Length > MeetingDecision.MaxParagraphLength)
        {
            throw new InputException("paragraph", $"must be at most {MeetingDecision.MaxParagraphLength} characters");
        }

        return text.Any(char.IsControl) ? throw new InputException("paragraph", "must be one line") : new MeetingDecision(date, text);
    }
}
