namespace AnnualCycle.Runtime.Cycles.Queries;

internal static class CycleProgress
{
    public static ProgressDto Of(IEnumerable<(StepState State, DateTime Due)> steps, DateTime now)
    {
        var list = steps.ToList();
        return new ProgressDto(
            list.Count,
            list.Count(s => s.State == StepState.Completed),
            list.Count(s => s.State == StepState.Skipped),
            list.Count(s => s.State == StepState.Cancelled),
            list.Count(s => s.State is StepState.Opened or StepState.Submitted or StepState.Returned),
            list.Count(s => StepTransitions.IsOverdue(s.State, s.Due, now)));
    }

    public static CycleSummaryDto Summary(CycleEntity c, IEnumerable<(StepState State, DateTime Due)> steps, DateTime now) =>
        new(c.Id, c.OrganisationId, c.WorkflowId, c.WorkflowVersion, c.Year, c.Name, c.Status.ToString(), c.StartedAtUtc, Of(steps, now));
}
