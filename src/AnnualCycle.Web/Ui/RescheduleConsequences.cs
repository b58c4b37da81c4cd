using AnnualCycle.Domain.Calendar;
using AnnualCycle.Runtime.Cycles.Queries;

namespace AnnualCycle.Web.Ui;

/// <summary>One step a reschedule moves, as the preview shows it: its title and body, never its key.</summary>
public sealed record MovedStep(string Key, string Title, string Body, DateOnly? OldOpens, DateOnly? NewOpens, DateOnly? OldDue, DateOnly? NewDue);

/// <summary>
/// What a reschedule would do, in words a process owner reads before Spara: every moved step with its title and body,
/// and a warning with its reason where a step would open after its deadline, a statutory deadline moves later, or a
/// deadline falls on a weekend or holiday. The handler's dry run gives the dates; this only explains them.
/// </summary>
public static class RescheduleConsequences
{
    public static IReadOnlyList<MovedStep> Steps(IReadOnlyList<MovedDateDto> moved, IReadOnlyDictionary<string, StepDto> steps, Func<string, string> bodyName, Dates dates) =>
        moved.GroupBy(m => m.Key).Select(g =>
        {
            var step = steps.GetValueOrDefault(g.Key);
            var opens = g.FirstOrDefault(m => m.Field == "opens");
            var due = g.FirstOrDefault(m => m.Field == "due");
            return new MovedStep(
                g.Key,
                step?.Title ?? g.Key,
                step is null ? "" : bodyName(step.BodyId),
                opens is null ? null : dates.LocalDate(opens.OldUtc),
                opens is null ? null : dates.LocalDate(opens.NewUtc),
                due is null ? null : dates.LocalDate(due.OldUtc),
                due is null ? null : dates.LocalDate(due.NewUtc));
        }).ToList();

    /// <summary>The warnings, one sentence each, in the UI's language.</summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyList<MovedStep> moved, IReadOnlyDictionary<string, StepDto> steps, Dates dates)
    {
        var warnings = new List<string>();
        foreach (var m in moved)
        {
            var step = steps.GetValueOrDefault(m.Key);
            var opens = m.NewOpens ?? (step is null ? null : dates.LocalDate(step.OpensAtUtc));
            var due = m.NewDue ?? (step is null ? null : dates.LocalDate(step.DueAtUtc));
            var name = m.Body.Length == 0 ? m.Title : $"{m.Title} ({m.Body})";
            if (opens is { } o && due is { } d && o > d)
            {
                warnings.Add(UiText.OpensAfterDue(name, o, d));
            }

            if (step?.Statutory == true && m.NewDue is { } later && m.OldDue is { } before && later > before)
            {
                warnings.Add(UiText.StatutoryMovedLater(name, before, later));
            }

            if (m.NewDue is { } newDue && !SwedishCalendar.IsWorkingDay(newDue))
            {
                warnings.Add(UiText.DueOnDayOff(name, newDue, SwedishCalendar.HolidayOn(newDue)?.Name));
            }
        }

        return warnings;
    }
}
