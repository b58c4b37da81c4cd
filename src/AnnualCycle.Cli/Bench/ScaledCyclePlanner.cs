namespace AnnualCycle.Cli.Bench;

/// <summary>
/// A planner for load measurements: the inner plan's steps copied over pretend bodies (keys suffixed <c>~0</c>,
/// <c>~1</c>, …, dependencies kept inside each copy) until the plan holds exactly <see cref="StepCount"/> instances.
/// The copies share the real plan's instants, as a region with many bodies does. Bench and tests only, never the service.
/// </summary>
public sealed class ScaledCyclePlanner(ICyclePlanner inner, int stepCount) : ICyclePlanner
{
    public int StepCount { get; } = stepCount > 0 ? stepCount : throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "Must be positive.");

    public CyclePlan Plan(string workflowId, int year, PlanOverrides? overrides = null, int? version = null)
    {
        var plan = inner.Plan(workflowId, year, overrides, version);
        if (plan.Steps.Count == 0)
        {
            return plan;
        }

        var copies = (StepCount + plan.Steps.Count - 1) / plan.Steps.Count;
        var steps = Enumerable.Range(0, copies)
            .SelectMany(i => plan.Steps.Select(s => s with { Key = $"{s.Key}~{i}", DependsOn = s.DependsOn.Select(d => $"{d}~{i}").ToList() }))
            .Take(StepCount)
            .ToList();
        // The last copy may be cut short: drop dependencies on steps that were left out.
        var keys = steps.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        steps = steps.Select(s => s.DependsOn.All(keys.Contains) ? s : s with { DependsOn = s.DependsOn.Where(keys.Contains).ToList() }).ToList();
        return plan with { Steps = steps };
    }
}
