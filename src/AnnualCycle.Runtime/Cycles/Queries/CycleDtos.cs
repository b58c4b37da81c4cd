namespace AnnualCycle.Runtime.Cycles.Queries;

/// <summary>Progress of a cycle or a phase: <c>Overdue</c> counts unresolved steps whose due instant has passed.</summary>
public sealed record ProgressDto(int Total, int Completed, int Skipped, int Cancelled, int Open, int Overdue);

public sealed record CycleSummaryDto(Guid Id, string OrganisationId, string WorkflowId, int WorkflowVersion, int Year, string Name, string Status, DateTime StartedAtUtc, ProgressDto Progress)
{
    /// <summary>Only in a start's answer: the steps whose deadlines had passed when the cycle was started, and what was done with each.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Commands.PassedStepDto>? PassedSteps { get; init; }
}

public sealed record PhaseProgressDto(string Phase, ProgressDto Progress);

public sealed record CycleDetailDto(CycleSummaryDto Cycle, IReadOnlyList<PhaseProgressDto> Phases);

/// <summary>
/// A step as the API and the UI show it. <see cref="Overdue"/> is derived from the clock. <see cref="Capabilities"/>: what the
/// person asking may do with it now, and why not (given by the step queries and the task list; null in a command's answer).
/// </summary>
public sealed record StepDto(
    Guid Id,
    Guid CycleId,
    string Key,
    string StepId,
    string Title,
    string Kind,
    string BodyId,
    string? Role,
    string Phase,
    int? Occurrence,
    DateTime OpensAtUtc,
    DateTime DueAtUtc,
    bool Statutory,
    string State,
    bool Overdue,
    IReadOnlyList<string> DependsOn,
    string? SubmittedByUserId,
    string? SubmittedOnBehalfOfUserId,
    DateTime? SubmittedAtUtc,
    string? DeliverableLink,
    string? Comment,
    int ReturnCount,
    string? Reason,
    int DateVersion,
    int Version,
    Guid? DeliverableFileId = null,
    StepCapabilities? Capabilities = null,
    DateOnly? MeetingDate = null,
    string? Paragraph = null)
{
    public static StepDto From(StepInstanceEntity s, DateTime nowUtc, StepCapabilities? capabilities = null) => new(
        s.Id, s.CycleId, s.Key, s.StepId, s.Title, s.Kind.ToString(), s.BodyId, s.Role, s.Phase, s.Occurrence,
        s.OpensAtUtc, s.DueAtUtc, s.Statutory, s.State.ToString(), StepTransitions.IsOverdue(s.State, s.DueAtUtc, nowUtc),
        s.DependsOnKeys(), s.SubmittedByUserId, s.SubmittedOnBehalfOfUserId, s.SubmittedAtUtc, s.DeliverableLink, s.Comment,
        s.ReturnCount, s.Reason, s.DateVersion, s.Version, s.DeliverableFileId, capabilities, s.MeetingDate, s.Paragraph);
}

/// <param name="MeetingDate">When the signature is the nämnd's decision: the meeting that decided (with <paramref name="Paragraph"/>, its §).</param>
public sealed record ApprovalDto(Guid Id, int Round, int Order, string BodyId, string Role, string Title, string State, string? DecidedByUserId, string? OnBehalfOfUserId, DateTime? DecidedAtUtc, string? Comment,
    DateOnly? MeetingDate = null, string? Paragraph = null)
{
    public static ApprovalDto From(ApprovalInstanceEntity a) =>
        new(a.Id, a.Round, a.Order, a.BodyId, a.Role, a.Title, a.State.ToString(), a.DecidedByUserId, a.OnBehalfOfUserId, a.DecidedAtUtc, a.Comment, a.MeetingDate, a.Paragraph);
}

public sealed record JournalEntryDto(long Sequence, Guid? CycleId, DateTime AtUtc, string ActorUserId, string? OnBehalfOfUserId, string Action, string? Subject, Guid? StepInstanceId, string? FromState, string? ToState, string? Comment, string Hash)
{
    public static JournalEntryDto From(JournalEntryEntity j) =>
        new(j.Sequence, j.CycleId, j.AtUtc, j.ActorUserId, j.OnBehalfOfUserId, j.Action, j.Subject, j.StepInstanceId, j.FromState, j.ToState, j.Comment, j.Hash);
}

/// <summary>One step with its approvals (every round, in order) and its journal.</summary>
public sealed record StepDetailDto(StepDto Step, IReadOnlyList<ApprovalDto> Approvals, IReadOnlyList<JournalEntryDto> Journal);

/// <summary>
/// What waits for me: <see cref="Action"/> is "submit", "approve" or "confirm"; <see cref="OnBehalfOfUserId"/> is set when I
/// act as a deputy. <c>Step.Capabilities</c> says everything else I may do with the step.
/// </summary>
public sealed record MyTaskDto(StepDto Step, string Action, Guid? ApprovalId, string? ApprovalRole, string? OnBehalfOfUserId, int WorkingDaysLeft, bool Overdue);

/// <summary>A date the reschedule moved.</summary>
public sealed record MovedDateDto(string Key, string Field, DateTime OldUtc, DateTime NewUtc);
