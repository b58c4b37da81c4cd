using System.Globalization;
using System.Text.Json;

namespace AnnualCycle.Domain.Definitions.Json;

/// <summary>
/// Reads typed values out of a <see cref="JsonTreeNode"/> the way the JSON Schema in <c>workflows/schema/</c>
/// describes them, recording a problem (with its position) for every unknown property, missing required
/// property and wrong type instead of throwing.
/// </summary>
public sealed class NodeReader(string file)
{
    private readonly List<DefinitionProblem> _problems = [];

    public string File { get; } = file;

    public IReadOnlyList<DefinitionProblem> Problems => _problems;

    public void Report(TextPosition position, string message) => _problems.Add(new DefinitionProblem(File, position, message));

    /// <summary>
    /// Checks that <paramref name="node"/> is an object with no properties outside <paramref name="allowed"/> and every
    /// one of <paramref name="required"/>. Returns false (after reporting) when it is not an object at all.
    /// </summary>
    public bool Object(JsonTreeNode node, string what, IReadOnlyCollection<string> allowed, params string[] required)
    {
        if (node.Kind != JsonValueKind.Object)
        {
            Report(node.Position, $"{what} must be an object, not {node.TypeName}");
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in node.Properties)
        {
            if (!seen.Add(property.Name))
            {
                Report(property.NamePosition, $"duplicate property '{property.Name}' in {what}");
            }
            else if (!allowed.Contains(property.Name))
            {
                Report(property.NamePosition, $"unknown property '{property.Name}' in {what} (allowed: {string.Join(", ", allowed)})");
            }
        }

        foreach (var name in required)
        {
            if (node.Property(name) is null)
            {
                Report(node.Position, $"missing required property '{name}' in {what}");
            }
        }

        return true;
    }

    public string? String(JsonTreeNode obj, string name, string what)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value.Kind != JsonValueKind.String)
        {
            Report(value.Position, $"'{name}' in {what} must be a string, not {value.TypeName}");
            return null;
        }

        if (string.IsNullOrWhiteSpace(value.Text))
        {
            Report(value.Position, $"'{name}' in {what} must not be empty");
            return null;
        }

        return value.Text;
    }

    public int? Int(JsonTreeNode obj, string name, string what, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = obj[name];
        return value is null ? null : Int(value, $"'{name}' in {what}", min, max);
    }

    public int? Int(JsonTreeNode value, string label, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!value.TryGetInt(out var number))
        {
            Report(value.Position, $"{label} must be an integer, not {(value.Kind == JsonValueKind.Number ? value.Text : value.TypeName)}");
            return null;
        }

        if (number < min || number > max)
        {
            Report(value.Position, max == int.MaxValue ? $"{label} must be at least {min}, not {number}" : $"{label} must be between {min} and {max}, not {number}");
            return null;
        }

        return number;
    }

    public bool? Bool(JsonTreeNode obj, string name, string what)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value.Kind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Report(value.Position, $"'{name}' in {what} must be true or false, not {value.TypeName}");
            return null;
        }

        return value.Kind == JsonValueKind.True;
    }

    /// <summary>A string that must be one of <paramref name="allowed"/>.</summary>
    public string? Enum(JsonTreeNode obj, string name, string what, params string[] allowed)
    {
        var text = String(obj, name, what);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Report(obj[name]!.Position, $"'{name}' in {what} must be one of {string.Join(", ", allowed)}, not '{text}'");
            return null;
        }

        return text;
    }

    /// <summary>The items of an array property, or an empty list (after reporting) when it is not an array.</summary>
    public IReadOnlyList<JsonTreeNode> Array(JsonTreeNode obj, string name, string what)
    {
        var value = obj[name];
        if (value is null)
        {
            return [];
        }

        if (value.Kind != JsonValueKind.Array)
        {
            Report(value.Position, $"'{name}' in {what} must be an array, not {value.TypeName}");
            return [];
        }

        return value.Items;
    }

    /// <summary>A list of strings; items of another type are reported and skipped.</summary>
    public IReadOnlyList<(string Value, TextPosition Position)> Strings(JsonTreeNode obj, string name, string what)
    {
        var result = new List<(string, TextPosition)>();
        foreach (var item in Array(obj, name, what))
        {
            if (item.Kind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.Text))
            {
                result.Add((item.Text!, item.Position));
            }
            else
            {
                Report(item.Position, $"items of '{name}' in {what} must be non-empty strings, not {item.TypeName}");
            }
        }

        return result;
    }

    public DateOnly? Date(JsonTreeNode value, string label)
    {
        if (value.Kind == JsonValueKind.String
            && DateOnly.TryParseExact(value.Text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Report(value.Position, $"{label} must be a date written yyyy-MM-dd, not {(value.Kind == JsonValueKind.String ? $"'{value.Text}'" : value.TypeName)}");
        return null;
    }

    public TimeOnly? Time(JsonTreeNode obj, string name, string what)
    {
        var value = obj[name];
        if (value is null)
        {
            return null;
        }

        if (value.Kind == JsonValueKind.String
            && TimeOnly.TryParseExact(value.Text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        Report(value.Position, $"'{name}' in {what} must be a local time written HH:mm, not {(value.Kind == JsonValueKind.String ? $"'{value.Text}'" : value.TypeName)}");
        return null;
    }
}
