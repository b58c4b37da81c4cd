namespace AnnualCycle.Runtime.Cycles.Commands;

/// <summary>What the process owner decides for a step whose deadline passed before its cycle was started.</summary>
public enum LateDecision
{
    /// <summary>The step opens as planned (late): its contributors are told that its deadline has already passed.</summary>
    Open,

    /// <summary>It was done before the cycle was started (outside the service): it starts Completed (<see cref="StepAction.MarkDone"/>).</summary>
    Done,

    /// <summary>It will not be done this year: it starts Skipped, with the reason given.</summary>
    Skip,

    /// <summary>It gets a new due date (today or later); the steps whose dates follow from it move with it.</summary>
    Move,
}

/// <summary>One decision for passed steps, as a person gives it (API, page).</summary>
/// <param name="Decision"><c>open</c>, <c>done</c>, <c>skip</c> or <c>move</c>.</param>
/// <param name="Due">The new due date, for <c>move</c>.</param>
/// <param name="Reason">Required for <c>skip</c>; for <c>done</c> an optional note for the journal.</param>
public sealed record LateStepDecision(string? Decision, DateOnly? Due = null, string? Reason = null);

/// <summary>
/// The process owner's decisions for the steps whose deadlines passed before the cycle was started: one for all
/// (<paramref name="All"/>) and per step key (<paramref name="Steps"/>, which wins). A passed step without a decision opens late.
/// </summary>
public sealed record LateStartDecisions(LateStepDecision? All = null, IReadOnlyDictionary<string, LateStepDecision>? Steps = null);

/// <summary>A step whose deadline has passed at the start, and what is (or would be) done with it.</summary>
/// <param name="Due">The planned deadline's local date (before a move).</param>
/// <param name="NewDue">The due date it was moved to (<c>move</c> only).</param>
public sealed record PassedStepDto(string Key, string StepId, string Title, string BodyId, string Kind, DateOnly Opens, DateOnly Due, string Decision, DateOnly? NewDue, string? Reason);

/// <summary>
/// Starting late: which planned steps' deadlines have already passed, and the process owner's decision for each, checked
/// before anything is written (400 naming the field: <c>late.all.decision</c>, <c>late.steps.{key}.due</c>, …).
/// </summary>
internal sealed class LateStart
{
    private readonly Dictionary<string, (LateDecision Decision, DateOnly? Due, string? Reason)> _decisions;

    private LateStart(IReadOnlyList<PlannedStep> passed, Dictionary<string, (LateDecision, DateOnly?, string?)> decisions, StockholmTime zone)
    {
        Passed = passed;
        _decisions = decisions;
        Zone = zone;
    }

    /// <summary>The steps of the first plan whose deadline lies before the start, in due order.</summary>
    public IReadOnlyList<PlannedStep> Passed { get; }

    private StockholmTime Zone { get; }

    /// <summary>The new due dates of the moved steps, by key (the cycle's overrides).</summary>
    public IReadOnlyDictionary<string, DateOnly> Moves =>
        _decisions.Where(d => d.Value.Decision == LateDecision.Move).ToDictionary(d => d.Key, d => d.Value.Due!.Value, StringComparer.Ordinal);

    /// <summary>Whether the step starts resolved (done or skipped): it gets no timers and opens nothing.</summary>
    public bool StartsResolved(string key) => _decisions.TryGetValue(key, out var d) && d.Decision is LateDecision.Done or LateDecision.Skip;

    /// <param name="plan">The plan without moves.</param>
    /// <param name="nowUtc">The start's instant.</param>
    public static LateStart Decide(CyclePlan plan, DateTime nowUtc, LateStartDecisions? given, StockholmTime zone)
    {
        var passed = plan.Steps.Where(s => s.Due.UtcDateTime < nowUtc).OrderBy(s => s.Due).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var passedKeys = passed.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in given?.Steps?.Keys ?? [])
        {
            if (!passedKeys.Contains(key))
            {
                throw new InputException("late.steps", passed.Count == 0
                    ? $"'{key}': no step's deadline has passed, there is nothing to decide"
                    : $"'{key}' is not a step whose deadline has passed (those are: {string.Join(", ", passedKeys)})");
            }
        }

        var all = given?.All is { } a ? Parse("late.all", a, nowUtc, zone) : (LateDecision.Open, null, null);
        var decisions = new Dictionary<string, (LateDecision, DateOnly?, string?)>(StringComparer.Ordinal);
        foreach (var step in passed)
        {
            decisions[step.Key] = given?.Steps?.TryGetValue(step.Key, out var own) == true && own is not null
                ? Parse($"late.steps.{step.Key}", own, nowUtc, zone)
                : all;
        }

        return new LateStart(passed, decisions, zone);
    }

    /// <summary>The passed steps with their decisions, as the start (and its dry run) answers.</summary>
    public IReadOnlyList<PassedStepDto> Describe() =>
        Passed.Select(s =>
        {
            var (decision, due, reason) = _decisions[s.Key];
            return new PassedStepDto(s.Key, s.StepId, s.Title, s.BodyId, s.Kind.ToString(), Zone.LocalDate(s.Opens), Zone.LocalDate(s.Due),
                decision.ToString().ToLowerInvariant(), due, reason);
        }).ToList();

    /// <summary>
    /// Marks the steps decided done or skipped, through the one state changer and the one capability rule, in the start's
    /// unit of work (before anything opens, so what waits only for them may open at once).
    /// </summary>
    public void Apply(Actor actor, string organisationId, IEnumerable<StepInstanceEntity> steps, IStepJournal work)
    {
        foreach (var step in steps)
        {
            if (!_decisions.TryGetValue(step.Key, out var d) || d.Decision is not (LateDecision.Done or LateDecision.Skip))
            {
                continue;
            }

            var action = d.Decision == LateDecision.Done ? StepAction.MarkDone : StepAction.Skip;
            var authority = StepCapabilities.For(actor, organisationId, step, []).Require(action, actor);
            step.Apply(action, authority.UserId, authority.OnBehalfOfUserId, d.Reason, work);
        }
    }

    /// <summary>The start's journal line, e.g. "3 steps past their deadline at the start: 1 done, 1 skipped, 1 moved, 0 open late".</summary>
    public string? Summary()
    {
        if (Passed.Count == 0)
        {
            return null;
        }

        int Count(LateDecision d) => _decisions.Values.Count(v => v.Decision == d);
        return $"{Passed.Count} steps past their deadline at the start: {Count(LateDecision.Done)} done, {Count(LateDecision.Skip)} skipped, "
            + $"{Count(LateDecision.Move)} moved, {Count(LateDecision.Open)} open late";
    }

    private static (LateDecision, DateOnly?, string?) Parse(string field, LateStepDecision given, DateTime nowUtc, StockholmTime zone)
    {
        if (!Enum.TryParse<LateDecision>(given.Decision, ignoreCase: true, out var decision) || !Enum.IsDefined(decision) || int.TryParse(given.Decision, out _))
        {
            throw new InputException($"{field}.decision", "must be open, done, skip or move");
        }

        switch (decision)
        {
            case LateDecision.Move:
                if (given.Due is not { } due)
                {
                    throw new InputException($"{field}.due", "is required to move a step (a date, yyyy-MM-dd)");
                }

                if (zone.DeadlineInstant(due).UtcDateTime < nowUtc)
                {
                    throw new InputException($"{field}.due", "must not be in the past");
                }

                return (decision, due, FreeText.Optional($"{field}.reason", given.Reason));
            case LateDecision.Skip:
                return (decision, null, FreeText.Required($"{field}.reason", given.Reason, "is required to skip a step"));
            default:
                return (decision, null, FreeText.Optional($"{field}.reason", given.Reason));
        }
    }
}
