using AnnualCycle.Domain.Planning;

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

/// <summary>One step of a cycle for one body (and one occurrence of a recurring step).</summary>
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

    public DateTime OpensAtUtc { get; set; }

    public DateTime DueAtUtc { get; set; }

    public bool Statutory { get; set; }

    public StepState State { get; set; }

    /// <summary>Keys of the step instances this one waits for, separated by a newline.</summary>
    public string DependsOn { get; set; } = "";

    public string? SubmittedByUserId { get; set; }

    public string? SubmittedOnBehalfOfUserId { get; set; }

    public DateTime? SubmittedAtUtc { get; set; }

    public string? DeliverableLink { get; set; }

    /// <summary>The uploaded file (a <c>DeliverableFiles</c> row of this step) the submission refers to, if any.</summary>
    public Guid? DeliverableFileId { get; set; }

    public string? Comment { get; set; }

    public DateTime? OpenedAtUtc { get; set; }

    public DateTime? CompletedAtUtc { get; set; }

    /// <summary>Why the step was skipped or cancelled, or the last return comment.</summary>
    public string? Reason { get; set; }

    public int ReturnCount { get; set; }

    /// <summary>Approval round: a resubmission after a return starts a fresh chain of approvals.</summary>
    public int Round { get; set; } = 1;

    /// <summary>Bumped whenever the dates move (a calendar export uses it as the event's SEQUENCE).</summary>
    public int DateVersion { get; set; }

    /// <summary>Optimistic concurrency token, bumped by the engine on every change (works on SQLite and PostgreSQL).</summary>
    public int Version { get; set; }

    public IReadOnlyList<string> DependsOnKeys() =>
        DependsOn.Length == 0 ? [] : DependsOn.Split('\n', StringSplitOptions.RemoveEmptyEntries);
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

    public ApprovalState State { get; set; }

    /// <summary>Copied from the step at submission so the database can refuse a self-approval.</summary>
    public string? SubmittedByUserId { get; set; }

    public string? SubmittedOnBehalfOfUserId { get; set; }

    public string? DecidedByUserId { get; set; }

    public string? OnBehalfOfUserId { get; set; }

    public DateTime? DecidedAtUtc { get; set; }

    public string? Comment { get; set; }
}
