using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Organisations;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// The checks that need the whole definition and its organisation: references to steps, bodies and roles,
/// dependency cycles, and, by resolving the plan for every year the sammanträdesplan covers, meeting anchors
/// without a meeting and due dates before open dates.
/// </summary>
public static class WorkflowChecker
{
    private static readonly string[] Placeholders = ["$body", "$administration"];

    /// <param name="stepIdsInFile">Ids of every step in the file, including steps that did not parse: references to
    /// them are not reported again as unknown.</param>
    public static void Check(WorkflowDefinition definition, Organisation? organisation, NodeReader reader, StockholmTime time, IReadOnlySet<string>? stepIdsInFile = null)
    {
        var before = reader.Problems.Count;
        var ids = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (!ids.TryAdd(step.Id, step))
            {
                reader.Report(step.Position, $"step id '{step.Id}' is used twice (first at {ids[step.Id].Position})");
            }
        }

        foreach (var step in definition.Steps)
        {
            foreach (var (target, position, where) in StepReferences(step))
            {
                if (!ids.ContainsKey(target) && stepIdsInFile?.Contains(target) != true)
                {
                    reader.Report(position, $"unknown step '{target}' in {where} of step '{step.Id}'");
                }
                else if (target == step.Id)
                {
                    reader.Report(position, $"step '{step.Id}' refers to itself in {where}");
                }
            }

            if (step.StatutoryRule == StatutoryChecks.InterimReport && step.PeriodEnd is null && step.Recurrence is null)
            {
                reader.Report(step.Position, $"step '{step.Id}' follows the rule '{StatutoryChecks.InterimReport}' and must say which period it reports on with 'periodEnd'");
            }

            foreach (var expression in Expressions(step).Where(e => e.Base is PeriodDate) )
            {
                if (step.Recurrence is null)
                {
                    reader.Report(expression.Position, $"a 'period' date needs a 'recurrence' in step '{step.Id}'");
                }
            }
        }

        if (reader.Problems.Count == before)
        {
            ReportCycles(definition, reader);
        }

        if (organisation is null)
        {
            reader.Report(definition.OrganisationPosition, $"unknown organisation '{definition.OrganisationId}' (no file in workflows/organisations/ has this id)");
            return;
        }

        foreach (var step in definition.Steps)
        {
            CheckBodies(step, organisation, reader);
        }

        // Planning needs every step: only a definition with no problem at all is resolved.
        if (reader.Problems.Count == 0)
        {
            CheckByResolving(definition, organisation, reader, time);
        }
    }

    /// <summary>Steps in an order where every step comes after the steps it waits for or takes a date from.</summary>
    public static IReadOnlyList<StepDefinition> DependencyOrder(WorkflowDefinition definition)
    {
        var result = new List<StepDefinition>();
        var state = new Dictionary<string, int>();
        void Visit(StepDefinition step)
        {
            if (state.GetValueOrDefault(step.Id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(step.Id) == 1)
            {
                throw new InvalidOperationException($"Dependency cycle through step '{step.Id}' in {definition.Id}");
            }

            state[step.Id] = 1;
            foreach (var target in StepReferences(step).Select(r => definition.FindStep(r.Target)).OfType<StepDefinition>())
            {
                Visit(target);
            }

            state[step.Id] = 2;
            result.Add(step);
        }

        foreach (var step in definition.Steps)
        {
            Visit(step);
        }

        return result;
    }

    private static IEnumerable<(string Target, TextPosition Position, string Where)> StepReferences(StepDefinition step)
    {
        foreach (var w in step.WaitsFor)
        {
            yield return (w.StepId, w.Position, "'waitsFor'");
        }

        foreach (var e in Expressions(step))
        {
            if (e.Base is StepDate s)
            {
                yield return (s.StepId, s.StepPosition, "a date");
            }
        }
    }

    private static IEnumerable<DateExpression> Expressions(StepDefinition step)
    {
        foreach (var root in new[] { step.Opens, step.Due, step.PeriodEnd, step.ElectionYearVariant?.Opens, step.ElectionYearVariant?.Due })
        {
            for (var e = root; e is not null; e = (e.Base as RuleDate)?.After)
            {
                yield return e;
            }
        }
    }

    private static void ReportCycles(WorkflowDefinition definition, NodeReader reader)
    {
        var path = new List<StepDefinition>();
        var state = new Dictionary<string, int>();
        var reported = false;
        void Visit(StepDefinition step)
        {
            if (reported || state.GetValueOrDefault(step.Id) == 2)
            {
                return;
            }

            if (state.GetValueOrDefault(step.Id) == 1)
            {
                var cycle = path.SkipWhile(s => s.Id != step.Id).Select(s => s.Id).Append(step.Id);
                reader.Report(step.Position, $"dependency cycle: {string.Join(" → ", cycle)} (through 'waitsFor' and step-relative dates)");
                reported = true;
                return;
            }

            state[step.Id] = 1;
            path.Add(step);
            foreach (var target in StepReferences(step).Select(r => definition.FindStep(r.Target)).OfType<StepDefinition>())
            {
                Visit(target);
            }

            path.RemoveAt(path.Count - 1);
            state[step.Id] = 2;
        }

        foreach (var step in definition.Steps)
        {
            Visit(step);
        }
    }

    private static void CheckBodies(StepDefinition step, Organisation organisation, NodeReader reader)
    {
        var fanOut = step.FanOut?.BodiesIn(organisation) ?? [];
        if (step.FanOut is { Scope: FanOutScope.Listed } f2)
        {
            foreach (var id in f2.Bodies.Where(id => organisation.FindBody(id) is null))
            {
                reader.Report(f2.Position, $"unknown body '{id}' in 'forEach' of step '{step.Id}' (known: {KnownBodies(organisation)})");
            }
        }

        CheckBodyRole(step.Performer.Body, step.Performer.Role, step.Performer.Position, $"'who' of step '{step.Id}'", step, fanOut, organisation, reader);
        foreach (var a in step.Approvals)
        {
            CheckBodyRole(a.Body, a.Role, a.Position, $"an approval of step '{step.Id}'", step, fanOut, organisation, reader);
        }

        CheckSeparationOfDuties(step, fanOut, organisation, reader);

        foreach (var e in Expressions(step))
        {
            if (e.Base is MeetingDateBase m)
            {
                if (m.Body == "$body" && step.FanOut is null)
                {
                    reader.Report(m.BodyPosition, $"meeting body '$body' needs 'forEach' in step '{step.Id}'");
                }
                else if (m.Body != "$body" && organisation.FindBody(m.Body) is null)
                {
                    reader.Report(m.BodyPosition, $"unknown body '{m.Body}' in a meeting date of step '{step.Id}' (known: {KnownBodies(organisation)})");
                }
            }
        }
    }

    private static void CheckBodyRole(string body, string? role, TextPosition position, string where, StepDefinition step, IReadOnlyList<string> fanOut, Organisation organisation, NodeReader reader)
    {
        if (Placeholders.Contains(body) && step.FanOut is null)
        {
            reader.Report(position, $"'{body}' in {where} needs 'forEach' on the step");
            return;
        }

        IEnumerable<string?> concrete = body switch
        {
            "$body" => fanOut,
            "$administration" => fanOut.Select(b => organisation.AdministrationOf(b)?.Id),
            _ => [organisation.FindBody(body)?.Id],
        };
        foreach (var (id, index) in concrete.Select((id, i) => (id, i)))
        {
            if (id is null)
            {
                reader.Report(position, body == "$administration"
                    ? $"'$administration' in {where}: body '{fanOut[index]}' has no förvaltning (an administration body that 'serves' it)"
                    : $"unknown body '{body}' in {where} (known: {KnownBodies(organisation)})");
                return;
            }

            if (role is not null && organisation.FindBody(id)!.Roles.All(r => r.Id != role))
            {
                reader.Report(position, $"body '{id}' has no role '{role}' ({where}; its roles: {string.Join(", ", organisation.FindBody(id)!.Roles.Select(r => r.Id))})");
                return;
            }
        }
    }

    /// <summary>
    /// Whoever does a step may not sign it off: an approval that names the performer's own role in the performer's own
    /// body (for any body the step fans out over) is refused at the approval.
    /// </summary>
    private static void CheckSeparationOfDuties(StepDefinition step, IReadOnlyList<string> fanOut, Organisation organisation, NodeReader reader)
    {
        if (step.Performer.Role is not { } role)
        {
            return;
        }

        List<string?> instances = fanOut.Count == 0 ? [null] : [.. fanOut];
        for (var n = 0; n < step.Approvals.Count; n++)
        {
            var approval = step.Approvals[n];
            if (!string.Equals(approval.Role, role, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var instance in instances)
            {
                var performer = PlanBuilder.ResolveBody(step.Performer.Body, instance, organisation);
                if (performer is not null && string.Equals(performer, PlanBuilder.ResolveBody(approval.Body, instance, organisation), StringComparison.OrdinalIgnoreCase))
                {
                    reader.Report(approval.Position,
                        $"approval {n + 1} of step '{step.Id}' is given by {role} in {performer}, who also does the step ('who'): whoever does a step may not approve it (the förvaltning writes, its director signs, the nämnd decides)");
                    break;
                }
            }
        }
    }

    private static string KnownBodies(Organisation organisation) => string.Join(", ", organisation.Bodies.Select(b => b.Id));

    /// <summary>Plans every year the sammanträdesplan fully covers (meetings the year before, of and after).</summary>
    private static void CheckByResolving(WorkflowDefinition definition, Organisation organisation, NodeReader reader, StockholmTime time)
    {
        var years = organisation.Meetings.Select(m => m.Date.Year).Distinct().Order().ToList();
        var cycleYears = years.Where(y => years.Contains(y - 1) && years.Contains(y + 1) && definition.AppliesToYear(y)).ToList();
        if (cycleYears.Count == 0)
        {
            var applies = definition.AppliesTo is { } range ? $" that version {definition.Version} applies to ({range})" : string.Empty;
            reader.Report(definition.OrganisationPosition, $"the sammanträdesplan of '{organisation.Id}' covers no budget year{applies} (a cycle for year Y needs meetings in Y-1, Y and Y+1)");
            return;
        }

        var seen = new HashSet<TextPosition>();
        foreach (var year in cycleYears)
        {
            try
            {
                var plan = PlanBuilder.Build(definition, organisation, year, time);
                foreach (var step in plan.Steps.Where(s => s.Due < s.Opens))
                {
                    var def = definition.FindStep(step.StepId)!;
                    if (seen.Add(def.Due.Position))
                    {
                        reader.Report(def.Due.Position,
                            $"due date {time.LocalDate(step.Due):yyyy-MM-dd} is before the open date {time.LocalDate(step.Opens):yyyy-MM-dd} for {step.Key} in the cycle for {year}");
                    }
                }
            }
            catch (PlanningException ex)
            {
                if (seen.Add(ex.Position))
                {
                    reader.Report(ex.Position, ex.Message);
                }
            }
        }
    }
}
