using System.Globalization;
using System.Text.Json;
using AnnualCycle.Domain.Definitions.Json;

namespace AnnualCycle.Domain.Definitions;

/// <summary>Reads the date-expression forms of <c>workflows/README.md</c>; reports anything else at its position.</summary>
public static class DateExpressionParser
{
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    public static DateExpression? Parse(JsonTreeNode node, string label, NodeReader reader)
    {
        if (node.Kind == JsonValueKind.String)
        {
            return ParseString(node, label, reader);
        }

        if (node.Kind != JsonValueKind.Object)
        {
            reader.Report(node.Position, $"{label} must be a date (yyyy-MM-dd) or a date expression object, not {node.TypeName}");
            return null;
        }

        var time = reader.Time(node, "time", label);
        if (node["meeting"] is not null)
        {
            return Meeting(node, label, reader, time);
        }

        if (node["rule"] is not null)
        {
            return Rule(node, label, reader, time);
        }

        if (node["period"] is not null)
        {
            reader.Object(node, label, ["period", "before", "after", "time"], "period");
            var period = reader.Enum(node, "period", label, "start", "end");
            var offset = NestedOffset(node, label, reader);
            return period is null ? null : new DateExpression(new PeriodDate(period == "end"), offset, time, node.Position);
        }

        if (node["before"] is { Kind: JsonValueKind.String } || node["after"] is { Kind: JsonValueKind.String })
        {
            return StepRelative(node, label, reader, time);
        }

        if (node["month"] is not null)
        {
            reader.Object(node, label, ["year", "month", "day", "before", "after", "time"], "month", "day");
            var year = reader.Int(node, "year", label, -3, 3) ?? 0;
            var month = reader.Int(node, "month", label, 1, 12);
            var day = reader.Int(node, "day", label, 1, 31);
            var offset = NestedOffset(node, label, reader);
            if (month is null || day is null)
            {
                return null;
            }

            if (day > DateTime.DaysInMonth(2024, month.Value))
            {
                reader.Report(node["day"]!.Position, $"'day' in {label} is {day}, but month {month} has at most {DateTime.DaysInMonth(2024, month.Value)} days");
                return null;
            }

            return new DateExpression(new DateInYear(year, month.Value, day.Value), offset, time, node.Position);
        }

        reader.Report(node.Position, $"{label} is not a date expression: expected 'meeting', 'rule', 'period', 'before'/'after' a step, or 'month' and 'day'");
        return null;
    }

    private static DateExpression? ParseString(JsonTreeNode node, string label, NodeReader reader)
    {
        var text = node.Text ?? string.Empty;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return new DateExpression(new AbsoluteDate(date), null, null, node.Position);
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateExpression(new AbsoluteDate(DateOnly.FromDateTime(local)), null, TimeOnly.FromDateTime(local), node.Position);
        }

        reader.Report(node.Position, $"{label} '{text}' is not a date: write yyyy-MM-dd or yyyy-MM-ddTHH:mm (local time)");
        return null;
    }

    private static DateExpression? StepRelative(JsonTreeNode node, string label, NodeReader reader, TimeOnly? time)
    {
        reader.Object(node, label, ["before", "after", "workingDays", "days", "of", "time"]);
        if (node["before"] is not null && node["after"] is not null)
        {
            reader.Report(node.Position, $"{label} has both 'before' and 'after'; use one");
            return null;
        }

        var before = node["before"] is not null;
        var target = node[before ? "before" : "after"]!;
        var sign = before ? -1 : 1;
        var workingDays = reader.Int(node, "workingDays", label, 0, 400) ?? 0;
        var days = reader.Int(node, "days", label, 0, 800) ?? 0;
        var of = reader.Enum(node, "of", label, "due", "opens") ?? "due";
        return new DateExpression(
            new StepDate(target.Text!, of == "opens", target.Position),
            new DateOffset(sign * workingDays, sign * days),
            time,
            node.Position);
    }

    private static DateExpression? Meeting(JsonTreeNode node, string label, NodeReader reader, TimeOnly? time)
    {
        reader.Object(node, label, ["meeting", "before", "after", "time"], "meeting");
        var meeting = node["meeting"]!;
        var what = $"'meeting' in {label}";
        if (!reader.Object(meeting, what, ["body", "year", "month", "which"], "body", "month"))
        {
            return null;
        }

        var body = reader.String(meeting, "body", what);
        var year = reader.Int(meeting, "year", what, -3, 3) ?? 0;
        var month = reader.Int(meeting, "month", what, 1, 12);
        var which = MeetingWhich.Last;
        if (meeting["which"] is { } whichNode)
        {
            if (whichNode.Kind == JsonValueKind.String && whichNode.Text is "first" or "last")
            {
                which = whichNode.Text == "first" ? MeetingWhich.First : MeetingWhich.Last;
            }
            else if (whichNode.TryGetInt(out var ordinal) && ordinal is >= 1 and <= 5)
            {
                which = new MeetingWhich(ordinal);
            }
            else
            {
                reader.Report(whichNode.Position, $"'which' in {what} must be \"first\", \"last\" or a number 1–5");
            }
        }

        var offset = NestedOffset(node, label, reader);
        if (body is null || month is null)
        {
            return null;
        }

        return new DateExpression(new MeetingDateBase(body, year, month.Value, which, meeting["body"]!.Position), offset, time, node.Position);
    }

    private static DateExpression? Rule(JsonTreeNode node, string label, NodeReader reader, TimeOnly? time)
    {
        var rule = reader.Enum(node, "rule", label, "lastWorkingDayOfMonth", "firstWorkingDayOfMonth", "firstWeekdayAfter");
        if (rule == "firstWeekdayAfter")
        {
            reader.Object(node, label, ["rule", "weekday", "date", "before", "after", "time"], "rule", "weekday", "date");
            var weekdayText = reader.String(node, "weekday", label);
            var weekday = System.Array.IndexOf(Weekdays, weekdayText?.ToLowerInvariant());
            if (weekdayText is not null && weekday < 0)
            {
                reader.Report(node["weekday"]!.Position, $"'weekday' in {label} must be one of {string.Join(", ", Weekdays)}, not '{weekdayText}'");
            }

            var after = node["date"] is { } dateNode ? Parse(dateNode, $"'date' in {label}", reader) : null;
            var offset = NestedOffset(node, label, reader);
            return weekday < 0 || after is null
                ? null
                : new DateExpression(new RuleDate(DateRule.FirstWeekdayAfter, 0, 0, (DayOfWeek)weekday, after), offset, time, node.Position);
        }

        reader.Object(node, label, ["rule", "year", "month", "before", "after", "time"], "rule", "month");
        var year = reader.Int(node, "year", label, -3, 3) ?? 0;
        var month = reader.Int(node, "month", label, 1, 12);
        var moved = NestedOffset(node, label, reader);
        if (rule is null || month is null)
        {
            return null;
        }

        var kind = rule == "lastWorkingDayOfMonth" ? DateRule.LastWorkingDayOfMonth : DateRule.FirstWorkingDayOfMonth;
        return new DateExpression(new RuleDate(kind, year, month.Value, DayOfWeek.Monday, null), moved, time, node.Position);
    }

    /// <summary><c>"before": { "workingDays": 5 }</c> or <c>"after": { "days": 2 }</c> beside a base date.</summary>
    private static DateOffset? NestedOffset(JsonTreeNode node, string label, NodeReader reader)
    {
        var before = node["before"];
        var after = node["after"];
        if (before is not null && after is not null)
        {
            reader.Report(node.Position, $"{label} has both 'before' and 'after'; use one");
            return null;
        }

        var offset = before ?? after;
        if (offset is null)
        {
            return null;
        }

        var what = $"'{(before is not null ? "before" : "after")}' in {label}";
        if (!reader.Object(offset, what, ["workingDays", "days"]))
        {
            return null;
        }

        var sign = before is not null ? -1 : 1;
        return new DateOffset(sign * (reader.Int(offset, "workingDays", what, 0, 400) ?? 0), sign * (reader.Int(offset, "days", what, 0, 800) ?? 0));
    }
}
