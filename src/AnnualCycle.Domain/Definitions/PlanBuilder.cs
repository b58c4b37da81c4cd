using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// Resolves one definition for one organisation and budget year into a <see cref="CyclePlan"/>.
/// Steps are resolved in dependency order (a step after the steps its dates and waitsFor name), so a due date
/// moved by <see cref="PlanOverrides"/> carries through to every date computed from it.
/// </summary>
public static class PlanBuilder
{
    public static CyclePlan Build(WorkflowDefinition definition, Organisation organisation, int year, StockholmTime time, PlanOverrides? overrides = null)
    {
        overrides ??= PlanOverrides.None;
        if (!definition.AppliesToYear(year))
        {
            throw new PlanningException($"{definition.Id} {definition.VersionLabel} does not apply to budget year {year}", definition.OrganisationPosition);
        }

        var full = definition;
        definition = definition.ForBudgetYear(year);
        var instances = Expand(definition, organisation, year);
        var byStep = instances.GroupBy(i => i.Step.Id).ToDictionary(g => g.Key, g => (IReadOnlyList<StepInstance>)g.ToList());
        var unknown = overrides.DueDates.Keys.Where(k => instances.All(i => i.Key != k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Override for unknown step key(s): {string.Join(", ", unknown)}", nameof(overrides));
        }

        IReadOnlyList<StepInstance> Matching(string stepId, StepInstance from)
        {
            if (!byStep.TryGetValue(stepId, out var candidates))
            {
                return [];
            }

            // A fanned-out step follows the same body's instance, a recurring one the same occurrence;
            // anything else depends on every instance of the other step.
            if (from.FanOutBody is not null && candidates.Any(c => c.FanOutBody == from.FanOutBody))
            {
                candidates = candidates.Where(c => c.FanOutBody == from.FanOutBody).ToList();
            }

            if (from.Occurrence is not null && candidates.Any(c => c.Occurrence == from.Occurrence))
            {
                candidates = candidates.Where(c => c.Occurrence == from.Occurrence).ToList();
            }

            return candidates;
        }

        // With ReportUnresolved, a step that cannot be resolved is set aside, and so is every step that takes a date from
        // it or waits for it (their dates would be computed from nothing).
        var unresolved = new Dictionary<StepInstance, string>();
        IReadOnlyList<StepInstance> Resolvable(string stepId, StepInstance from)
        {
            var candidates = Matching(stepId, from);
            if (candidates.FirstOrDefault(unresolved.ContainsKey) is { } missing)
            {
                throw new PlanningException($"step '{from.Step.Id}' takes a date from '{missing.Key}', which cannot be resolved", from.Step.Position)
                {
                    Swedish = $"tar sitt datum från {missing.Step.Title} ({missing.Key}), som inte kan bestämmas",
                };
            }

            return candidates;
        }

        var resolver = new DateResolver(organisation, year, Resolvable);
        foreach (var step in WorkflowChecker.DependencyOrder(definition))
        {
            var policy = step.Reminders ?? definition.Reminders;
            foreach (var instance in byStep[step.Id])
            {
                instance.DependsOn.AddRange(step.WaitsFor.SelectMany(w => Matching(w.StepId, instance)));
                if (!overrides.ReportUnresolved)
                {
                    Resolve(instance, resolver, overrides, policy, time);
                    continue;
                }

                if (instance.DependsOn.FirstOrDefault(unresolved.ContainsKey) is { } waitsFor)
                {
                    unresolved[instance] = $"väntar på {waitsFor.Step.Title} ({waitsFor.Key}), som inte kan bestämmas";
                    continue;
                }

                try
                {
                    Resolve(instance, resolver, overrides, policy, time);
                }
                catch (PlanningException ex)
                {
                    unresolved[instance] = ex.Swedish ?? ex.Message;
                }
            }
        }

        instances = instances.Where(i => !unresolved.ContainsKey(i)).ToList();
        var planned = instances
            .OrderBy(i => i.Due).ThenBy(i => i.Opens).ThenBy(i => i.Key, StringComparer.Ordinal)
            .Select(i => ToPlannedStep(i, organisation, definition, time))
            .ToList();
        var warnings = StatutoryChecks.Check(instances, year, time);
        return new CyclePlan(definition.Id, definition.Version, organisation.Id, year, planned, warnings)
        {
            Unresolved = unresolved.Select(u => new UnresolvedStep(u.Key.Key, TitleOf(u.Key), u.Key.FanOutBody ?? ResolveBody(u.Key.Step.Performer.Body, u.Key, organisation) ?? u.Key.Step.Performer.Body, u.Value)).ToList(),
            AppliesTo = definition.AppliesTo?.ToString(),
            Election = SwedishElections.IsElectionCycle(year)
                ? new ElectionInfo(
                    year - 1,
                    SwedishElections.ElectionDay(year - 1),
                    SwedishElections.NewAssemblyTakesOffice(year - 1),
                    full.ElectionYear?.Handling,
                    full.ElectionYear?.Source,
                    planned.Where(p => p.Variant is not null).Select(p => p.Key).ToList())
                : null,
        };
    }

    private static List<StepInstance> Expand(WorkflowDefinition definition, Organisation organisation, int year)
    {
        var result = new List<StepInstance>();
        foreach (var step in definition.Steps)
        {
            IReadOnlyList<string?> bodies = step.FanOut is { } f ? f.BodiesIn(organisation).Select(b => (string?)b).ToList() : [null];
            var occurrences = step.Recurrence is { } r
                ? r.Months.Select((m, i) => ((int?)(i + 1), (DateOnly?)new DateOnly(year + r.YearOffset, m, 1))).ToList()
                : [(null, null)];
            foreach (var (n, period) in occurrences)
            {
                foreach (var body in bodies)
                {
                    result.Add(new StepInstance(step, body, n, period));
                }
            }
        }

        return result;
    }

    private static void Resolve(StepInstance instance, DateResolver resolver, PlanOverrides overrides, ReminderPolicy policy, StockholmTime time)
    {
        var step = instance.Step;
        if (overrides.Fixed.TryGetValue(instance.Key, out var kept))
        {
            // A resolved step of a running cycle: its dates are history, whatever the calendar says now.
            instance.DueDate = kept.Due;
            instance.Due = time.ToInstant(instance.DueDate, step.Due.Time ?? StockholmTime.EndOfDeadlineDay);
            instance.OpensDate = kept.Opens;
            instance.Opens = time.ToInstant(instance.OpensDate, step.Opens?.Time ?? policy.Hour);
            instance.PeriodEnd = step.PeriodEnd is { } end ? resolver.Resolve(end, instance) : instance.PeriodStart?.AddMonths(1).AddDays(-1);
            return;
        }

        if (overrides.DueDates.TryGetValue(instance.Key, out var moved))
        {
            // The process owner's date stands as given: they chose it knowing the calendar.
            instance.DueDate = moved;
        }
        else
        {
            // A deadline on a day off moves to the working day before, statutory ones too: Lag (1930:173) would let a
            // deadline the law fixes pass to the next working day, but a plan that relies on that breaks the rule it keeps
            // (a budget "before the end of November" planned for 1 December), so the plan stays on or before the law's date.
            instance.DueDate = SwedishCalendar.OnOrBeforeWorkingDay(resolver.Resolve(step.Due, instance));
        }

        instance.Due = time.ToInstant(instance.DueDate, step.Due.Time ?? StockholmTime.EndOfDeadlineDay);

        if (step.Opens is { } opens)
        {
            instance.OpensDate = SwedishCalendar.OnOrAfterWorkingDay(resolver.Resolve(opens, instance));
        }
        else if (instance.DependsOn.Count > 0)
        {
            // Without an explicit date a step opens the working day after the last thing it waits for is due.
            instance.OpensDate = SwedishCalendar.AddWorkingDays(instance.DependsOn.Max(d => d.DueDate), 1);
        }
        else
        {
            instance.OpensDate = SwedishCalendar.AddWorkingDays(instance.DueDate, -10);
        }

        instance.Opens = time.ToInstant(instance.OpensDate, step.Opens?.Time ?? policy.Hour);
        if (step.PeriodEnd is { } periodEnd)
        {
            instance.PeriodEnd = resolver.Resolve(periodEnd, instance);
        }
        else if (instance.PeriodStart is { } start)
        {
            instance.PeriodEnd = start.AddMonths(1).AddDays(-1);
        }
    }

    private static PlannedStep ToPlannedStep(StepInstance i, Organisation organisation, WorkflowDefinition definition, StockholmTime time)
    {
        var step = i.Step;
        var policy = step.Reminders ?? definition.Reminders;
        var body = ResolveBody(step.Performer.Body, i, organisation) ?? step.Performer.Body;
        var ownBody = i.FanOutBody ?? body;
        var approvals = step.Approvals.Select((a, n) =>
        {
            var approver = ResolveBody(a.Body, i, organisation) ?? a.Body;
            var title = organisation.FindBody(approver)?.Roles.FirstOrDefault(r => r.Id == a.Role)?.Title ?? a.Role;
            return new PlannedApproval(n + 1, approver, a.Role, title);
        }).ToList();

        var reminders = policy.Before
            .Select(n => time.ToInstant(SwedishCalendar.AddWorkingDays(i.DueDate, -n), policy.Hour))
            .Where(r => r > i.Opens && r < i.Due)
            .Distinct().Order().ToList();
        var overdue = policy.Overdue
            .Select(n => time.ToInstant(SwedishCalendar.AddWorkingDays(i.DueDate, Math.Max(n, 1)), policy.Hour))
            .Distinct().Order().ToList();
        var escalations = new List<PlannedEscalation>();
        var hasDirector = organisation.FindBody(ownBody)?.Kind == BodyKind.Administration || organisation.AdministrationOf(ownBody) is not null;
        if (policy.EscalateToDirector is { } d && hasDirector)
        {
            escalations.Add(new PlannedEscalation(time.ToInstant(SwedishCalendar.AddWorkingDays(i.DueDate, Math.Max(d, 1)), policy.Hour), EscalationTarget.Director));
        }

        if (policy.EscalateToProcessOwner is { } p)
        {
            escalations.Add(new PlannedEscalation(time.ToInstant(SwedishCalendar.AddWorkingDays(i.DueDate, Math.Max(p, 1)), policy.Hour), EscalationTarget.ProcessOwner));
        }

        return new PlannedStep(
            i.Key, step.Id, TitleOf(i), step.Kind, ownBody, step.Performer.Role, i.Occurrence, step.Phase, i.Opens, i.Due, step.StatutoryDeadline,
            i.DependsOn.Select(x => x.Key).Distinct().ToList(), approvals, reminders, overdue, escalations, step.Source)
        {
            PerformerBodyId = body == ownBody ? null : body,
            PeriodEnd = i.PeriodEnd,
            StatutoryRule = step.StatutoryRule,
            Statute = step.StatutoryRule is { } rule ? StatutoryChecks.StatuteOf(rule) : null,
            Variant = step.AppliedVariant ?? (step.Condition == StepCondition.ElectionYear ? StepVariant.ElectionYear : null),
        };
    }

    private static string TitleOf(StepInstance i) => i.PeriodStart is { } period ? $"{i.Step.Title} per {DateResolver.MonthName(period.Month)}" : i.Step.Title;

    /// <summary><c>$body</c> is the fan-out body; <c>$administration</c> the förvaltning serving it; anything else a body id.</summary>
    internal static string? ResolveBody(string body, StepInstance instance, Organisation organisation) => ResolveBody(body, instance.FanOutBody, organisation);

    /// <summary>The concrete body id of <paramref name="body"/> for the instance fanned out to <paramref name="fanOutBody"/> (null: no fan-out).</summary>
    internal static string? ResolveBody(string body, string? fanOutBody, Organisation organisation) => body switch
    {
        "$body" => fanOutBody,
        "$administration" => fanOutBody is { } b ? organisation.AdministrationOf(b)?.Id : null,
        _ => organisation.FindBody(body)?.Id,
    };
}
