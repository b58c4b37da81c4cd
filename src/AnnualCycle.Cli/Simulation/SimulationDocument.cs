using AnnualCycle.Runtime.Reports;

namespace AnnualCycle.Cli.Simulation;

/// <summary>
/// What <c>simulate --json</c> prints, one named shape so a reader (or a script) sees every field in one place. Written
/// with camelCase names (<c>organisation</c>, <c>leftUndone</c>, <c>pickupFolder</c>, …) in this order; instants are UTC.
/// </summary>
/// <param name="Organisation">The organisation's id.</param>
/// <param name="Workflow">The workflow definition's id.</param>
/// <param name="Year">The budget year of the last (or only) cycle.</param>
/// <param name="Years">How many budget years were simulated, ending with <paramref name="Year"/>.</param>
/// <param name="From">When the first cycle was started.</param>
/// <param name="Until">Where the simulated clock stops at the latest.</param>
/// <param name="LeftUndone">The bodies whose steps nobody acted on, in ordinal order.</param>
/// <param name="Database">The temp folder of the throwaway SQLite database (kept).</param>
/// <param name="Mail">Where the messages went, in words.</param>
/// <param name="PickupFolder">The folder holding the messages when no SMTP server was named; otherwise null.</param>
/// <param name="CycleId">The cycle of <paramref name="Year"/>.</param>
/// <param name="EndedAt">The simulated instant the walk ended.</param>
/// <param name="LeadTimes">The lead times per step and body, year over year.</param>
/// <param name="Summary">The emails sent and not sent, the sent ones counted per kind and per recipient.</param>
internal sealed record SimulationDocument(
    string Organisation, string Workflow, int Year, int Years, DateTime From, DateTime Until, IReadOnlyList<string> LeftUndone,
    string Database, string Mail, string? PickupFolder, Guid CycleId, DateTime EndedAt,
    IEnumerable<SimulationDocument.Line> Timeline, IEnumerable<SimulationDocument.Email> Emails, LeadTimeReport? LeadTimes,
    IEnumerable<SimulationDocument.Step> Steps, SimulationDocument.Counts Summary)
{
    public static SimulationDocument Of(SimulationRequest request, SimulationEnvironment env, SimulationResult result)
    {
        var sent = result.Emails.Where(e => e.State == "Sent").ToList();
        return new(request.OrganisationId, request.WorkflowId, request.Year, request.Years, request.From.UtcDateTime, request.Until.UtcDateTime,
            request.LeaveUndone.Order(StringComparer.Ordinal).ToList(), env.TempFolder, env.MailDescription, env.SmtpServer is null ? env.PickupFolder : null,
            result.CycleId, result.EndedAtUtc,
            result.Timeline.Select(t => new Line(t.AtUtc, SimulationReport.Local(env.Zone, t.AtUtc), t.Event, t.StepKey, t.BodyId, t.Actor, t.Detail)),
            result.Emails.Select(e => new Email(e.OutboxId, e.MessageId, e.Kind, e.State, e.RecipientEmail ?? e.RecipientUserId, e.StepKey, e.BodyId, e.CreatedAtUtc, e.SentAtUtc)),
            result.LeadTimes,
            result.Steps.Select(s => new Step(s.Key, s.Title, s.Kind, s.BodyId, s.State, s.DueAtUtc, s.CompletedAtUtc, s.LeftUndone)),
            new(sent.Count, result.Emails.Count - sent.Count, SimulationReport.ByKind(sent).ToDictionary(), SimulationReport.ByRecipient(sent).ToDictionary()));
    }

    /// <summary>A line of the timeline, at its UTC instant and as Stockholm local time (<c>yyyy-MM-dd HH:mm</c>).</summary>
    internal sealed record Line(DateTime At, string Local, string Event, string? Step, string? Body, string? Actor, string? Detail);

    /// <summary>An outbox row as it ended; <paramref name="Recipient"/> is the address, or the user id when the user has none.</summary>
    internal sealed record Email(Guid OutboxId, string MessageId, string Kind, string State, string Recipient, string? Step, string? Body, DateTime CreatedAt, DateTime? SentAt);

    /// <summary>A step as it ended; <paramref name="ResolvedAt"/> is when it was completed, skipped or cancelled.</summary>
    internal sealed record Step(string Key, string Title, string Kind, string Body, string State, DateTime DueAt, DateTime? ResolvedAt, bool LeftUndone);

    /// <summary>The emails' summary.</summary>
    internal sealed record Counts(int Sent, int NotSent, Dictionary<string, int> PerKind, Dictionary<string, int> PerRecipient);
}
