using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>One instance of a step while a plan is being resolved: a step for one body and one occurrence.</summary>
internal sealed class StepInstance(StepDefinition step, string? fanOutBody, int? occurrence, DateOnly? periodStart)
{
    public StepDefinition Step { get; } = step;

    /// <summary>The body this instance is for when the step fans out; null otherwise.</summary>
    public string? FanOutBody { get; } = fanOutBody;

    public int? Occurrence { get; } = occurrence;

    /// <summary>First day of the month a recurring occurrence reports on.</summary>
    public DateOnly? PeriodStart { get; } = periodStart;

    public string Key => Step.Id + (Occurrence is { } n ? $"#{n}" : string.Empty) + (FanOutBody is { } b ? $"/{b}" : string.Empty);

    public DateOnly OpensDate { get; set; }

    public DateTimeOffset Opens { get; set; }

    public DateOnly DueDate { get; set; }

    public DateTimeOffset Due { get; set; }

    public DateOnly? PeriodEnd { get; set; }

    public List<StepInstance> DependsOn { get; } = [];

    public StepKind Kind => Step.Kind;
}
