using AnnualCycle.Notifications.Calendar;

namespace AnnualCycle.Runtime.Calendar;

/// <summary>
/// The one place a step's calendar event is made, for the subscription feed and for the .ics attachment of every
/// email about the step's deadline alike: the UID comes from the step instance's id (it never changes, whatever
/// happens to the step) and the SEQUENCE is its <see cref="StepInstanceEntity.DateVersion"/> (bumped each time a
/// reschedule moves its dates), so Outlook and Google Calendar update the event in place.
/// </summary>
internal static class StepDeadlineEvents
{
    /// <summary>The path of a step's page in the web UI.</summary>
    public static string StepPath(Guid stepId) => AnnualCycle.Notifications.EmailModel.StepPath(stepId.ToString("D"));

    /// <summary>The deadline event of <paramref name="step"/>: all day on its due date, the exact time in the description.</summary>
    /// <param name="step">The step instance as stored now.</param>
    /// <param name="cycle">Its cycle, for the name in the summary.</param>
    /// <param name="bodyName">The body's Swedish name (its id when the organisation does not name it).</param>
    /// <param name="publicBaseUrl">Root of links, <c>PublicBaseUrl</c>.</param>
    public static DeadlineEvent For(StepInstanceEntity step, CycleEntity cycle, string bodyName, string publicBaseUrl)
    {
        var cancelled = step.State is StepState.Skipped or StepState.Cancelled;
        var title = $"Sista dag: {step.Title} – {bodyName} ({cycle.Name})";
        var description = $"{step.Title}\nOrgan: {bodyName}\nCykel: {cycle.Name}" + (cancelled && !string.IsNullOrWhiteSpace(step.Reason) ? $"\nInställt: {step.Reason}" : "");
        return new DeadlineEvent(
            step.Id.ToString("D"),
            step.DateVersion,
            title,
            new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero),
            publicBaseUrl.TrimEnd('/') + StepPath(step.Id),
            description,
            cancelled);
    }
}
