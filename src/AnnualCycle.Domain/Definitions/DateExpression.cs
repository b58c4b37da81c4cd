using AnnualCycle.Domain.Definitions.Json;

namespace AnnualCycle.Domain.Definitions;

/// <summary>
/// A date written in a definition, resolved per cycle year. It is a base date, optionally moved by an
/// <see cref="DateOffset"/>, optionally at a local <see cref="Time"/>. The forms are documented in
/// <c>workflows/README.md</c>.
/// </summary>
public sealed record DateExpression(DateBase Base, DateOffset? Offset, TimeOnly? Time, TextPosition Position);

/// <summary>Moves a date: working days first (Swedish working days), then calendar days. Negative is before.</summary>
public sealed record DateOffset(int WorkingDays, int Days);

public abstract record DateBase;

/// <summary><c>"2025-11-25"</c>: the same date whatever the cycle year.</summary>
public sealed record AbsoluteDate(DateOnly Date) : DateBase;

/// <summary><c>{ "year": -1, "month": 5, "day": 16 }</c>: a date in the budget year plus <see cref="YearOffset"/>.</summary>
public sealed record DateInYear(int YearOffset, int Month, int Day) : DateBase;

/// <summary><c>{ "before": "regionplan", "workingDays": 10 }</c>: relative to another step's due (or opens) date.</summary>
public sealed record StepDate(string StepId, bool Opens, TextPosition StepPosition) : DateBase;

/// <summary>
/// <c>{ "meeting": { "body": "RF", "year": -1, "month": 11, "which": "last" } }</c>: a sammanträde of a body.
/// <see cref="Body"/> may be <c>$body</c>: the body a fanned-out instance is for.
/// </summary>
public sealed record MeetingDateBase(string Body, int YearOffset, int Month, MeetingWhich Which, TextPosition BodyPosition) : DateBase;

/// <summary>Which meeting in the month: the first, the last, or the n-th (1-based).</summary>
public sealed record MeetingWhich(int Ordinal)
{
    public static readonly MeetingWhich First = new(1);
    public static readonly MeetingWhich Last = new(-1);

    public override string ToString() => Ordinal switch { 1 => "first", -1 => "last", _ => $"number {Ordinal}" };
}

public enum DateRule
{
    LastWorkingDayOfMonth,
    FirstWorkingDayOfMonth,
    FirstWeekdayAfter,
}

/// <summary>
/// <c>{ "rule": "lastWorkingDayOfMonth", "year": 0, "month": 8 }</c> or
/// <c>{ "rule": "firstWeekdayAfter", "weekday": "monday", "date": { ... } }</c>.
/// </summary>
public sealed record RuleDate(DateRule Rule, int YearOffset, int Month, DayOfWeek Weekday, DateExpression? After) : DateBase;

/// <summary><c>{ "period": "end" }</c>: the first or last day of the month a recurring occurrence reports on.</summary>
public sealed record PeriodDate(bool End) : DateBase;
