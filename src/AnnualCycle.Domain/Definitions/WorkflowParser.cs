using System.Text.Json;
using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Planning;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// Reads a workflow definition file into a <see cref="WorkflowDefinition"/>, checking what
/// <c>workflows/schema/workflow.schema.json</c> says (properties, required, types). References between steps
/// and to bodies are checked later by <see cref="WorkflowChecker"/>, which needs the organisation.
/// </summary>
public static class WorkflowParser
{
    public static readonly string[] Phases = ["planering", "budget", "uppfoljning"];


    private static readonly string[] RootProperties = ["$schema", "id", "name", "version", "organisation", "description", "appliesTo", "electionYear", "reminders", "steps"];

    private static readonly string[] StepProperties =
    [
        "id", "title", "kind", "phase", "who", "forEach", "waitsFor", "opens", "due", "approvals", "reminders",
        "recurrence", "statutory", "periodEnd", "deliverable", "source", "when", "electionYear",
    ];

    private static readonly string[] VariantProperties = ["title", "opens", "due", "statutory", "source"];

    /// <summary>The definition, or null when the file has any problem (all recorded in <paramref name="reader"/>).</summary>
    public static WorkflowDefinition? Parse(JsonTreeNode root, NodeReader reader)
    {
        var before = reader.Problems.Count;
        var (definition, _) = ParsePartial(root, reader);
        return reader.Problems.Count > before ? null : definition;
    }

    /// <summary>
    /// The definition with the steps that parsed (null when the header itself is broken), and the ids of every step
    /// in the file: the checker can then still report wrong references without calling a broken step unknown.
    /// </summary>
    public static (WorkflowDefinition? Definition, IReadOnlySet<string> StepIds) ParsePartial(JsonTreeNode root, NodeReader reader)
    {
        var before = reader.Problems.Count;
        if (!reader.Object(root, "the workflow definition", RootProperties, "id", "name", "version", "organisation", "steps"))
        {
            return (null, new HashSet<string>());
        }

        var id = reader.String(root, "id", "the workflow definition");
        var name = reader.String(root, "name", "the workflow definition");
        var version = reader.Int(root, "version", "the workflow definition", 1);
        var organisation = reader.String(root, "organisation", "the workflow definition");
        var description = reader.String(root, "description", "the workflow definition");
        var appliesTo = root["appliesTo"] is { } applies ? ParseYearRange(applies, reader) : null;
        var election = root["electionYear"] is { } e ? ParseElectionHandling(e, reader) : null;
        var reminders = root["reminders"] is { } r ? ParseReminders(r, "'reminders' of the workflow", reader, ReminderPolicy.Default) : ReminderPolicy.Default;
        var steps = new List<StepDefinition>();
        var stepNodes = reader.Array(root, "steps", "the workflow definition");
        if (root["steps"] is { Kind: JsonValueKind.Array } && stepNodes.Count == 0)
        {
            reader.Report(root["steps"]!.Position, "'steps' must name at least one step");
        }

        for (var i = 0; i < stepNodes.Count; i++)
        {
            if (ParseStep(stepNodes[i], i, reader) is { } step)
            {
                steps.Add(step);
            }
        }

        var stepIds = stepNodes.Select(n => n["id"]?.Text).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (id is null || name is null || version is null || organisation is null || reminders is null
            || (root["appliesTo"] is not null && appliesTo is null) || (root["electionYear"] is not null && election is null)
            || (reader.Problems.Count > before && steps.Count == 0))
        {
            return (null, stepIds);
        }

        return (new WorkflowDefinition(id, name, version.Value, organisation, description, reminders, steps, reader.File, root["organisation"]!.Position, appliesTo, election), stepIds);
    }

    /// <summary><c>{ "from": 2025 }</c>, <c>{ "from": 2023, "to": 2023 }</c>: the budget years a version plans.</summary>
    private static YearRange? ParseYearRange(JsonTreeNode node, NodeReader reader)
    {
        const string What = "'appliesTo' of the workflow definition";
        if (!reader.Object(node, What, ["from", "to"]))
        {
            return null;
        }

        var before = reader.Problems.Count;
        var from = reader.Int(node, "from", What, 2000, 2100);
        var to = reader.Int(node, "to", What, 2000, 2100);
        if (reader.Problems.Count > before)
        {
            return null;
        }

        if (from is null && to is null)
        {
            reader.Report(node.Position, $"{What} must name 'from', 'to' or both (budget years)");
            return null;
        }

        if (from > to)
        {
            reader.Report(node["to"]!.Position, $"{What}: 'to' ({to}) is before 'from' ({from})");
            return null;
        }

        return new YearRange(from, to);
    }

    /// <summary><c>{ "handling": "...", "source": "..." }</c>: how the definition handles an election-year cycle.</summary>
    private static ElectionHandling? ParseElectionHandling(JsonTreeNode node, NodeReader reader)
    {
        const string What = "'electionYear' of the workflow definition";
        if (!reader.Object(node, What, ["handling", "source"], "handling", "source"))
        {
            return null;
        }

        var handling = reader.String(node, "handling", What);
        var source = reader.String(node, "source", What);
        return handling is null || source is null ? null : new ElectionHandling(handling, source);
    }

    private static StepVariant? ParseVariant(JsonTreeNode node, string label, NodeReader reader)
    {
        var what = $"'electionYear' of {label}";
        if (!reader.Object(node, what, VariantProperties))
        {
            return null;
        }

        var before = reader.Problems.Count;
        if (node.Properties.Count == 0)
        {
            reader.Report(node.Position, $"{what} must change at least one of {string.Join(", ", VariantProperties)}");
        }

        var title = reader.String(node, "title", what);
        var opens = node["opens"] is { } o ? DateExpressionParser.Parse(o, $"'opens' in {what}", reader) : null;
        var due = node["due"] is { } d ? DateExpressionParser.Parse(d, $"'due' in {what}", reader) : null;
        (bool, string?)? statutory = node["statutory"] is null ? null : ParseStatutory(node, what, reader);
        var source = reader.String(node, "source", what);
        return reader.Problems.Count > before ? null : new StepVariant(title, opens, due, statutory, source, node.Position);
    }

    private static StepDefinition? ParseStep(JsonTreeNode node, int index, NodeReader reader)
    {
        var label = node["id"] is { Kind: JsonValueKind.String, Text: { } sid } ? $"step '{sid}'" : $"step {index + 1}";
        if (!reader.Object(node, label, StepProperties, "id", "title", "kind", "phase", "who", "due", "source"))
        {
            return null;
        }

        var before = reader.Problems.Count;
        var id = reader.String(node, "id", label);
        if (id is not null && !System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z0-9][a-z0-9-]*$"))
        {
            reader.Report(node["id"]!.Position, $"step id '{id}' must be lower-case letters, digits and '-' (it becomes part of keys such as {id}#3/HSN)");
        }

        var title = reader.String(node, "title", label);
        var kindText = reader.Enum(node, "kind", label, "task", "approval", "meeting", "milestone", "decision");
        var phase = reader.Enum(node, "phase", label, Phases);
        var performer = node["who"] is { } who ? ParsePerformer(who, label, reader) : null;
        var fanOut = node["forEach"] is { } each ? ParseFanOut(each, label, reader) : null;
        var waitsFor = reader.Strings(node, "waitsFor", label).Select(s => new StepReference(s.Value, s.Position)).ToList();
        var opens = node["opens"] is { } o ? DateExpressionParser.Parse(o, $"'opens' of {label}", reader) : null;
        var due = node["due"] is { } d ? DateExpressionParser.Parse(d, $"'due' of {label}", reader) : null;
        var approvals = reader.Array(node, "approvals", label).Select((a, i) => ParseApproval(a, i, label, reader)).OfType<ApprovalDefinition>().ToList();
        var reminders = node["reminders"] is { } r ? ParseReminders(r, $"'reminders' of {label}", reader, null) : null;
        var recurrence = node["recurrence"] is { } rec ? ParseRecurrence(rec, label, reader) : null;
        var (statutoryDeadline, rule) = ParseStatutory(node, label, reader);
        var periodEnd = node["periodEnd"] is { } pe ? DateExpressionParser.Parse(pe, $"'periodEnd' of {label}", reader) : null;
        var deliverable = reader.String(node, "deliverable", label);
        var source = reader.String(node, "source", label);
        var when = reader.Enum(node, "when", label, "electionYear", "otherYears");
        var variant = node["electionYear"] is { } ev ? ParseVariant(ev, label, reader) : null;
        if (reader.Problems.Count > before || id is null || title is null || kindText is null || phase is null || performer is null || due is null || source is null)
        {
            return null;
        }

        var kind = Enum.Parse<StepKind>(kindText, ignoreCase: true);
        var condition = when switch
        {
            "electionYear" => StepCondition.ElectionYear,
            "otherYears" => StepCondition.OtherYears,
            _ => StepCondition.Always,
        };
        return new StepDefinition(id, title, kind, phase, performer, fanOut, waitsFor, opens, due, approvals, reminders, recurrence,
            statutoryDeadline, rule, periodEnd, deliverable, source, node.Position, condition, variant);
    }

    private static (bool Deadline, string? Rule) ParseStatutory(JsonTreeNode node, string label, NodeReader reader)
    {
        var value = node["statutory"];
        switch (value?.Kind)
        {
            case null or JsonValueKind.False:
                return (false, null);
            case JsonValueKind.True:
                return (true, null);
            case JsonValueKind.String when StatutoryChecks.RuleIds.Contains(value.Text):
                return (true, value.Text);
            default:
                reader.Report(value.Position, $"'statutory' in {label} must be true, false or a rule id ({string.Join(", ", StatutoryChecks.RuleIds)}), not {(value.Kind == JsonValueKind.String ? $"'{value.Text}'" : value.TypeName)}");
                return (false, null);
        }
    }

    private static Performer? ParsePerformer(JsonTreeNode node, string label, NodeReader reader)
    {
        var what = $"'who' in {label}";
        if (!reader.Object(node, what, ["body", "role"], "body"))
        {
            return null;
        }

        var body = reader.String(node, "body", what);
        var role = reader.String(node, "role", what);
        return body is null ? null : new Performer(body, role, node.Position);
    }

    private static FanOut? ParseFanOut(JsonTreeNode node, string label, NodeReader reader)
    {
        if (node.Kind == JsonValueKind.String && node.Text is "committees" or "committeesAndBoard")
        {
            return new FanOut(node.Text == "committees" ? FanOutScope.Committees : FanOutScope.CommitteesAndBoard, [], node.Position);
        }

        if (node.Kind == JsonValueKind.Array && node.Items.Count > 0 && node.Items.All(i => i.Kind == JsonValueKind.String))
        {
            return new FanOut(FanOutScope.Listed, node.Items.Select(i => i.Text!).ToList(), node.Position);
        }

        reader.Report(node.Position, $"'forEach' in {label} must be \"committees\" (each nämnd), \"committeesAndBoard\" (nämnder och styrelser: each nämnd and regionstyrelsen) or a non-empty list of body ids");
        return null;
    }

    private static ApprovalDefinition? ParseApproval(JsonTreeNode node, int index, string label, NodeReader reader)
    {
        var what = $"approval {index + 1} of {label}";
        if (!reader.Object(node, what, ["body", "role"], "body", "role"))
        {
            return null;
        }

        var body = reader.String(node, "body", what);
        var role = reader.String(node, "role", what);
        return body is null || role is null ? null : new ApprovalDefinition(body, role, node.Position);
    }

    private static Recurrence? ParseRecurrence(JsonTreeNode node, string label, NodeReader reader)
    {
        var what = $"'recurrence' of {label}";
        if (!reader.Object(node, what, ["months", "year"], "months"))
        {
            return null;
        }

        var months = reader.Array(node, "months", what).Select(m => reader.Int(m, $"a month in {what}", 1, 12)).ToList();
        var year = reader.Int(node, "year", what, -3, 3) ?? 0;
        if (months.Count == 0 || months.Any(m => m is null))
        {
            if (months.Count == 0)
            {
                reader.Report(node.Position, $"'months' in {what} must list at least one month (1–12)");
            }

            return null;
        }

        var list = months.Select(m => m!.Value).ToList();
        if (list.Distinct().Count() != list.Count || !list.SequenceEqual(list.Order()))
        {
            reader.Report(node["months"]!.Position, $"'months' in {what} must be in increasing order without repeats");
            return null;
        }

        return new Recurrence(list, year);
    }

    private static ReminderPolicy? ParseReminders(JsonTreeNode node, string what, NodeReader reader, ReminderPolicy? inherit)
    {
        if (!reader.Object(node, what, ["before", "overdue", "escalate", "time"]))
        {
            return null;
        }

        var baseline = inherit ?? ReminderPolicy.Default;
        IReadOnlyList<int> Days(string name, IReadOnlyList<int> fallback) =>
            node[name] is null ? fallback : reader.Array(node, name, what).Select(n => reader.Int(n, $"an item of '{name}' in {what}", 0, 200)).OfType<int>().ToList();

        var before = Days("before", baseline.Before);
        var overdue = Days("overdue", baseline.Overdue);
        var director = baseline.EscalateToDirector;
        var owner = baseline.EscalateToProcessOwner;
        if (node["escalate"] is { } escalate && reader.Object(escalate, $"'escalate' in {what}", ["director", "processOwner"]))
        {
            director = reader.Int(escalate, "director", $"'escalate' in {what}", 0, 200) ?? director;
            owner = reader.Int(escalate, "processOwner", $"'escalate' in {what}", 0, 200) ?? owner;
            if (director is not null && owner is not null && owner < director)
            {
                reader.Report(escalate.Position, $"'escalate' in {what}: the process owner ({owner} working days) must come after the director ({director})");
            }
        }

        var hour = reader.Time(node, "time", what) ?? baseline.Hour;
        return new ReminderPolicy(before, overdue, director, owner, hour);
    }
}
