using AnnualCycle.Domain.Definitions.Json;
using AnnualCycle.Domain.Organisations;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// Reads <c>workflows/organisations/*.json</c> (schema <c>workflows/schema/organisation.schema.json</c>): bodies with
/// their roles, and the sammanträdesplan as groups of dates per body and year.
/// </summary>
public static class OrganisationParser
{
    private static readonly Dictionary<string, BodyKind> Kinds = new(StringComparer.Ordinal)
    {
        ["assembly"] = BodyKind.Assembly,
        ["board"] = BodyKind.Board,
        ["committee"] = BodyKind.Committee,
        ["administration"] = BodyKind.Administration,
        ["staff"] = BodyKind.Staff,
        ["managementGroup"] = BodyKind.ManagementGroup,
        ["audit"] = BodyKind.Audit,
    };

    public static Organisation? Parse(JsonTreeNode root, NodeReader reader)
    {
        const string What = "the organisation";
        var before = reader.Problems.Count;
        if (!reader.Object(root, What, ["$schema", "id", "name", "timeZone", "description", "source", "bodies", "meetings"], "id", "name", "bodies", "meetings"))
        {
            return null;
        }

        var id = reader.String(root, "id", What);
        var name = reader.String(root, "name", What);
        var zone = reader.String(root, "timeZone", What) ?? "Europe/Stockholm";
        reader.String(root, "description", What);
        reader.String(root, "source", What);
        var bodies = new List<Body>();
        var bodyPositions = new Dictionary<string, TextPosition>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in reader.Array(root, "bodies", What))
        {
            if (ParseBody(node, reader) is { } body)
            {
                if (!bodyPositions.TryAdd(body.Id, node.Position))
                {
                    reader.Report(node.Position, $"body id '{body.Id}' is used twice (first at {bodyPositions[body.Id]})");
                }

                bodies.Add(body);
            }
        }

        // Ids of bodies that did not parse still count as known, so one mistake is reported once, not at every reference.
        var allIds = reader.Array(root, "bodies", What).Select(n => n["id"]?.Text).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var body in bodies.Where(b => b.Serves is not null))
        {
            var parsed = bodies.Any(b => string.Equals(b.Id, body.Serves, StringComparison.OrdinalIgnoreCase));
            if (parsed ? !bodies.Any(b => b.Kind is BodyKind.Committee or BodyKind.Board && string.Equals(b.Id, body.Serves, StringComparison.OrdinalIgnoreCase)) : !allIds.Contains(body.Serves!))
            {
                reader.Report(bodyPositions[body.Id], $"body '{body.Id}' serves '{body.Serves}', which is not a committee or board of this organisation");
            }
        }

        var meetings = new List<MeetingDate>();
        foreach (var node in reader.Array(root, "meetings", What))
        {
            meetings.AddRange(ParseMeetings(node, allIds, reader));
        }

        if (reader.Problems.Count > before || id is null || name is null)
        {
            return null;
        }

        return new Organisation(id, name, zone, bodies, meetings.OrderBy(m => m.Date).ThenBy(m => m.BodyId, StringComparer.Ordinal).ToList());
    }

    private static Body? ParseBody(Json.JsonTreeNode node, NodeReader reader)
    {
        var label = node["id"] is { Text: { } bid } ? $"body '{bid}'" : "a body";
        if (!reader.Object(node, label, ["id", "name", "kind", "serves", "roles", "example", "source"], "id", "name", "kind"))
        {
            return null;
        }

        var id = reader.String(node, "id", label);
        var name = reader.String(node, "name", label);
        var kind = reader.Enum(node, "kind", label, [.. Kinds.Keys]);
        var serves = reader.String(node, "serves", label);
        reader.Bool(node, "example", label);
        reader.String(node, "source", label);
        if (kind == "administration" && serves is null)
        {
            reader.Report(node.Position, $"{label} is an administration and must name the committee it 'serves'");
        }

        var roles = new List<BodyRole>();
        foreach (var roleNode in reader.Array(node, "roles", label))
        {
            var what = $"a role of {label}";
            if (reader.Object(roleNode, what, ["id", "title"], "id", "title")
                && reader.String(roleNode, "id", what) is { } roleId && reader.String(roleNode, "title", what) is { } title)
            {
                roles.Add(new BodyRole(roleId, title));
            }
        }

        return id is null || name is null || kind is null ? null : new Body(id, name, Kinds[kind], serves, roles);
    }

    private static IEnumerable<MeetingDate> ParseMeetings(JsonTreeNode node, IEnumerable<string> bodyIds, NodeReader reader)
    {
        const string What = "a sammanträdesplan entry";
        if (!reader.Object(node, What, ["body", "year", "dates", "time", "example", "source"], "body", "year", "dates"))
        {
            return [];
        }

        var body = reader.String(node, "body", What);
        var year = reader.Int(node, "year", What, 2000, 2100);
        var time = reader.Time(node, "time", What);
        var example = reader.Bool(node, "example", What) ?? false;
        var source = reader.String(node, "source", What);
        if (body is not null && !bodyIds.Contains(body, StringComparer.OrdinalIgnoreCase))
        {
            reader.Report(node["body"]!.Position, $"unknown body '{body}' in the sammanträdesplan (known: {string.Join(", ", bodyIds)})");
        }

        if (!example && source is null)
        {
            reader.Report(node.Position, "a sammanträdesplan entry that is not \"example\": true must cite its 'source'");
        }

        var result = new List<MeetingDate>();
        foreach (var dateNode in reader.Array(node, "dates", What))
        {
            var date = reader.Date(dateNode, "a meeting date");
            if (date is null || body is null || year is null)
            {
                continue;
            }

            if (date.Value.Year != year)
            {
                reader.Report(dateNode.Position, $"meeting date {date:yyyy-MM-dd} is not in the entry's year {year}");
            }
            else if (!Calendar.SwedishCalendar.IsWorkingDay(date.Value))
            {
                reader.Report(dateNode.Position, $"meeting date {date:yyyy-MM-dd} is not a working day");
            }

            result.Add(new MeetingDate(body, date.Value, time, example, source));
        }

        return result;
    }
}
