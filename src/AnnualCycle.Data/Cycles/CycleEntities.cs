namespace AnnualCycle.Data.Cycles;

/// <summary>One run of a workflow definition for one organisation and one budget year.</summary>
public sealed class CycleEntity
{
    public Guid Id { get; set; }

    public required string OrganisationId { get; set; }

    public required string WorkflowId { get; set; }

    /// <summary>The definition version the cycle started from; re-planning keeps it.</summary>
    public int WorkflowVersion { get; set; }

    public int Year { get; set; }

    public required string Name { get; set; }

    public DateTime StartedAtUtc { get; set; }

    public required string StartedByUserId { get; set; }

    public CycleStatus Status { get; set; }

    /// <summary>Process-owner date overrides (JSON: due dates and open dates by step key), re-applied on every re-plan.</summary>
    public string OverridesJson { get; set; } = "{}";

    public int Version { get; set; }
}

/// <summary>
/// One step of a cycle for one body (and one occurrence of a recurring step). Its state, the timestamps and people
/// of its transitions and its concurrency token change only through <see cref="Apply"/>.
/// </summary>
public sealed class StepInstanceEntity
{
    public Guid Id { get; set; }

    public Guid CycleId { get; set; }

    /// <summary>Unique in the cycle and stable across re-planning, e.g. <c>manadsrapport#3/HSN</c>.</summary>
    public required string Key { get; set; }

    public required string StepId { get; set; }

    public required string Title { get; set; }

    public StepKind Kind { get; set; }

    public required string BodyId { get; set; }

    public string? Role { get; set; }

    public required string Phase { get; set; }

    public int? Occurrence { get; set; }

    /// <summary>When the plan opens the step (moved by re-planning).</summary>
    public DateTime OpensAtUtc { get; set; }

    /// <summary>When the step was opened (the plan's <see cref="OpensAtUtc"/> as it happened, or earlier by hand).</summary>
    public DateTime? OpenedAtUtc { get; private set; }

    /// <summary>The deadline (moved by re-planning, or by hand through a reschedule).</summary>
    public DateTime DueAtUtc { get; set; }

    /// <summary>When the step was resolved: completed, confirmed, skipped or cancelled.</summary>
    public DateTime? CompletedAtUtc { get; private set; }

    public bool Statutory { get; set; }

    public StepState State { get; private set; }

    /// <summary>Keys of the step instances this one waits for, separated by a newline.</summary>
    public string DependsOn { get; set; } = "";

    public string? SubmittedByUserId { get; private set; }

    public string? SubmittedOnBehalfOfUserId { get; private set; }

    public DateTime? SubmittedAtUtc { get; private set; }

    public string? DeliverableLink { get; set; }

    /// <summary>The uploaded file (a <c>DeliverableFiles</c> row of this step) the submission refers to, if any.</summary>
    public Guid? DeliverableFileId { get; set; }

    /// <summary>The comment of the last submission or confirmation.</summary>
    public string? Comment { get; private set; }

    /// <summary>For a confirmed decision of a body: the date of the meeting that decided (Europe/Stockholm).</summary>
    public DateOnly? MeetingDate { get; private set; }

    /// <summary>For a confirmed decision of a body: the minutes' paragraph, e.g. <c>§ 123</c>.</summary>
    public string? Paragraph { get; private set; }

    /// <summary>Why the step was skipped or cancelled, or the last return comment.</summary>
    public string? Reason { get; private set; }

    public int ReturnCount { get; private set; }

    /// <summary>Approval round: a resubmission after a return starts a fresh chain of approvals.</summary>
    public int Round { get; private set; } = 1;

    /// <summary>Bumped whenever the dates move (a calendar export uses it as the event's SEQUENCE).</summary>
    public int DateVersion { get; set; }

    /// <summary>Optimistic concurrency token, bumped by the engine on every change (works on SQLite and PostgreSQL).</summary>
    public int Version { get; private set; }

    /// <summary>A new step of a cycle as its plan has it (Planned, round 1); the runtime opens it when it is due.</summary>
    public static StepInstanceEntity FromPlan(Guid cycleId, PlannedStep planned) => new()
    {
        Id = Guid.NewGuid(),
        CycleId = cycleId,
        Key = planned.Key,
        StepId = planned.StepId,
        Title = planned.Title,
        Kind = planned.Kind,
        BodyId = planned.BodyId,
        Role = planned.Role,
        Phase = planned.Phase,
        Occurrence = planned.Occurrence,
        OpensAtUtc = planned.Opens.UtcDateTime,
        DueAtUtc = planned.Due.UtcDateTime,
        Statutory = planned.Statutory,
        DependsOn = string.Join('\n', planned.DependsOn),
    };

    public IReadOnlyList<string> DependsOnKeys() =>
        DependsOn.Length == 0 ? [] : DependsOn.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The one way a step changes. Checks <see cref="StepTransitions"/> (state and kind), moves the state, stamps the
    /// time and the people of the transition, bumps <see cref="Version"/> and records the journal entry, its from and to
    /// taken from the table, through <paramref name="journal"/>. Who may ask for it is decided before, by the runtime's
    /// capability rule; the actions that keep the state (approve, upload, reschedule, remind) still bump the token, so two
    /// people changing one step at once cannot both win.
    /// </summary>
    /// <param name="comment">
    /// The journal's comment; for a submission or a confirmation also the step's <see cref="Comment"/>, for a return,
    /// skip or cancel its <see cref="Reason"/>.
    /// </param>
    /// <param name="subject">What the journal names instead of the step key (e.g. the approval's title).</param>
    /// <param name="decision">
    /// When the action records a body's decision at its meeting (a confirmed decision, or the nämnd's signature of a chain):
    /// the meeting date and §, kept on a confirmed step and written first in the journal's comment (<see cref="MeetingDecision.JournalComment"/>).
    /// </param>
    /// <exception cref="Domain.Errors.IllegalTransitionException">The table does not allow the action from this state for this kind.</exception>
    public StepTransition Apply(StepAction action, string actorUserId, string? onBehalfOfUserId, string? comment, IStepJournal journal, string? subject = null, MeetingDecision? decision = null)
    {
        StepTransitions.Ensure(Key, action, State, Kind);
        var transition = new StepTransition(action, State, StepTransitions.Target(action, State), StepTransitions.Rule(action).JournalAction);
        var at = journal.Now;
        switch (action)
        {
            case StepAction.Open:
                OpenedAtUtc = at;
                break;
            case StepAction.Submit:
                SubmittedByUserId = actorUserId;
                SubmittedOnBehalfOfUserId = onBehalfOfUserId;
                SubmittedAtUtc = at;
                Comment = comment;
                break;
            case StepAction.Return:
                // The next submission starts a fresh round of approvals.
                Reason = comment;
                ReturnCount++;
                Round++;
                break;
            case StepAction.Complete:
                CompletedAtUtc = at;
                break;
            case StepAction.Confirm or StepAction.MarkDone:
                Comment = comment;
                MeetingDate = decision?.MeetingDate;
                Paragraph = decision?.Paragraph;
                CompletedAtUtc = at;
                break;
            case StepAction.Skip or StepAction.Cancel:
                Reason = comment;
                CompletedAtUtc = at;
                break;
        }

        State = transition.To;
        Version++;
        journal.Record(this, transition, actorUserId, onBehalfOfUserId, decision is null ? comment : decision.JournalComment(comment), subject);
        return transition;
    }
}

/// <summary>One sign-off in a step's chain for one round of submission.</summary>
public sealed class ApprovalInstanceEntity
{
    public Guid Id { get; set; }

    public Guid StepInstanceId { get; set; }

    public int Round { get; set; }

    public int Order { get; set; }

    public required string BodyId { get; set; }

    public required string Role { get; set; }

    public required string Title { get; set; }

    /// <summary>Pending until its approver decides (<see cref="Decide"/>): approved, or returned with the step.</summary>
    public ApprovalState State { get; private set; }

    /// <summary>Copied from the step at submission (<see cref="CopySubmitter"/>) so the database can refuse a self-approval.</summary>
    public string? SubmittedByUserId { get; private set; }

    /// <summary>The principal the submitter acted for, copied with <see cref="SubmittedByUserId"/> for the same check.</summary>
    public string? SubmittedOnBehalfOfUserId { get; private set; }

    /// <summary>The approver who decided (the person, also when acting as an ersättare).</summary>
    public string? DecidedByUserId { get; private set; }

    /// <summary>The role holder the approver decided for as their ersättare; null when in their own right.</summary>
    public string? OnBehalfOfUserId { get; private set; }

    public DateTime? DecidedAtUtc { get; private set; }

    /// <summary>The approver's comment (required when returning).</summary>
    public string? Comment { get; private set; }

    /// <summary>When this signature is the nämnd deciding at its meeting: the meeting's date (Europe/Stockholm).</summary>
    public DateOnly? MeetingDate { get; private set; }

    /// <summary>When this signature is the nämnd deciding at its meeting: the minutes' paragraph, e.g. <c>§ 123</c>.</summary>
    public string? Paragraph { get; private set; }

    /// <summary>The step's submission (its submitter and their principal) copied onto this signature of its round.</summary>
    public void CopySubmitter(StepInstanceEntity step)
    {
        SubmittedByUserId = step.SubmittedByUserId;
        SubmittedOnBehalfOfUserId = step.SubmittedOnBehalfOfUserId;
    }

    /// <summary>
    /// The one way a signature is decided: <paramref name="outcome"/> (approved or returned), who decided for whom and
    /// when, the comment, and for the nämnd's decision at its meeting the date and §. Who may decide is the runtime's
    /// capability rule; the step moves on through <see cref="StepInstanceEntity.Apply"/>.
    /// </summary>
    public void Decide(ApprovalState outcome, Attribution by, string? comment, MeetingDecision? decision)
    {
        State = outcome;
        DecidedByUserId = by.UserId;
        OnBehalfOfUserId = by.OnBehalfOfUserId;
        DecidedAtUtc = by.AtUtc;
        Comment = comment;
        MeetingDate = decision?.MeetingDate;
        Paragraph = decision?.Paragraph;
    }

    /// <summary>
    /// A pending <paramref name="signature"/> in <paramref name="step"/>'s current round: the plan's chain when a cycle
    /// starts, or a returned round's <see cref="Signature"/> again for the next submission.
    /// </summary>
    public static ApprovalInstanceEntity Pending(StepInstanceEntity step, PlannedApproval signature) => new()
    {
        Id = Guid.NewGuid(),
        // Where it stands: the step's current round, waiting for its approver.
        StepInstanceId = step.Id, Round = step.Round, State = ApprovalState.Pending,
        // Who signs, in which place of the chain: the signature's parts, as Signature() gives them back.
        Order = signature.Order, BodyId = signature.BodyId, Role = signature.Role, Title = signature.Title,
    };

    /// <summary>Who signs, in which place of the chain: what a later round asks for again.</summary>
    public PlannedApproval Signature() => new(Order, BodyId, Role, Title);
}

/// <summary>
/// A body's decision at its meeting as the secretary records it: the meeting date and the minutes' paragraph (§). Which
/// actions record one is the runtime's capability rule; this is only the value and how the journal writes it.
/// </summary>
public sealed record MeetingDecision(DateOnly MeetingDate, string Paragraph)
{
    /// <summary>The most a paragraph may hold ("§ 123", "§ 45 a").</summary>
    public const int MaxParagraphLength = 20;

    /// <summary>The journal's prefix; the UI shows it in its language ("Beslutat 2026-12-09, § 123").</summary>
    public const string JournalPrefix = "Decided ";

    /// <summary>"Decided 2026-12-09, § 123", then the person's comment on the next line.</summary>
    public string JournalComment(string? comment) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{JournalPrefix}{MeetingDate:yyyy-MM-dd}, {Paragraph}") + (comment is null ? "" : "\n" + comment);
}
