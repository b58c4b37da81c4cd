using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Organisations;

namespace AnnualCycle.Domain.Definitions;

/// <summary>Resolves a <see cref="DateExpression"/> to a calendar date for one step instance in one cycle year.</summary>
internal sealed class DateResolver(Organisation organisation, int year, Func<string, StepInstance, IReadOnlyList<StepInstance>> matching)
{
    private static readonly string[] MonthNames =
        ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    public static string MonthName(int month) => MonthNames[month - 1];

    public DateOnly Resolve(DateExpression expression, StepInstance instance)
    {
        var date = ResolveBase(expression, instance);
        if (expression.Offset is { } offset)
        {
            date = SwedishCalendar.AddWorkingDays(date, offset.WorkingDays).AddDays(offset.Days);
        }

        return date;
    }

    private DateOnly ResolveBase(DateExpression expression, StepInstance instance)
    {
        switch (expression.Base)
        {
            case AbsoluteDate a:
                return a.Date;
            case DateInYear d:
                return new DateOnly(year + d.YearOffset, d.Month, Math.Min(d.Day, DateTime.DaysInMonth(year + d.YearOffset, d.Month)));
            case StepDate s:
            {
                var targets = matching(s.StepId, instance);
                if (targets.Count == 0)
                {
                    throw new PlanningException($"step '{s.StepId}' has no instance to take a date from", s.StepPosition);
                }

                var dates = targets.Select(t => s.Opens ? t.OpensDate : t.DueDate).ToList();
                // "before X" counts back from the earliest instance of X, "after X" forward from the latest.
                return expression.Offset is { WorkingDays: < 0 } or { Days: < 0 } ? dates.Min() : dates.Max();
            }

            case MeetingDateBase m:
                return Meeting(m, instance);
            case RuleDate { Rule: DateRule.FirstWeekdayAfter } r:
                return SwedishCalendar.FirstWeekdayAfter(Resolve(r.After!, instance), r.Weekday);
            case RuleDate r:
                return r.Rule == DateRule.LastWorkingDayOfMonth
                    ? SwedishCalendar.LastWorkingDayOfMonth(year + r.YearOffset, r.Month)
                    : SwedishCalendar.FirstWorkingDayOfMonth(year + r.YearOffset, r.Month);
            case PeriodDate p:
                if (instance.PeriodStart is not { } start)
                {
                    throw new PlanningException($"step '{instance.Step.Id}' uses a 'period' date but has no 'recurrence'", expression.Position);
                }

                return p.End ? start.AddMonths(1).AddDays(-1) : start;
            default:
                throw new InvalidOperationException("Unknown date expression " + expression.Base.GetType().Name);
        }
    }

    private DateOnly Meeting(MeetingDateBase m, StepInstance instance)
    {
        var bodyId = m.Body;
        if (bodyId == "$body")
        {
            bodyId = instance.FanOutBody
                ?? throw new PlanningException($"meeting body '$body' needs a step with 'forEach' (step '{instance.Step.Id}' does not fan out)", m.BodyPosition);
        }

        var meetingYear = year + m.YearOffset;
        var meetings = organisation.Meetings
            .Where(x => string.Equals(x.BodyId, bodyId, StringComparison.OrdinalIgnoreCase) && x.Date.Year == meetingYear && x.Date.Month == m.Month)
            .Select(x => x.Date)
            .Order()
            .ToList();
        var index = m.Which.Ordinal == -1 ? meetings.Count - 1 : m.Which.Ordinal - 1;
        if (index < 0 || index >= meetings.Count)
        {
            throw new PlanningException(
                $"no {m.Which} meeting of {bodyId} in {MonthName(m.Month)} {meetingYear} in the sammanträdesplan of {organisation.Id} (cycle {year}; it has {meetings.Count})",
                m.BodyPosition)
            {
                Swedish = $"{(m.Which.Ordinal switch { 1 => "första", -1 => "sista", var n => $"{n}:e" })} sammanträdet för {bodyId} i {MonthName(m.Month)} {meetingYear} finns inte i sammanträdesplanen (den har {meetings.Count} det året och månaden)",
            };
        }

        return meetings[index];
    }
}
