using System.Text.Json;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AnnualCycle.Runtime.Email;

/// <summary>The payload of a weekly digest row: the lines as they stood when the digest was recorded.</summary>
public sealed record DigestPayload(string? OrganisationId, IReadOnlyList<DigestItem> Items);

/// <summary>
/// Turns claimed outbox rows into messages, reading the world as it is now: the step (title and due date may have
/// moved since the row was recorded), its cycle, the body's name and the recipient's address, language and delivery
/// preference. Decides, per row, whether it is sent, dropped (a reminder of a resolved step), left for the weekly
/// digest, or cannot be sent at all.
/// </summary>
public sealed class OutboxEmailBuilder(
    IDbContextFactory<AnnualCycleDbContext> contexts,
    EmailComposer composer,
    IOptions<EmailOptions> options,
    IWorkflowCatalog catalog,
    StockholmTime zone,
    EmailMetrics metrics,
    ILogger<OutboxEmailBuilder> logger)
{
    public abstract record Outcome;

    public sealed record Ready(MimeMessage Message) : Outcome;

    public sealed record Drop(string Reason) : Outcome;

    public sealed record Digest(string Reason) : Outcome;

    public sealed record Unsendable(string Reason) : Outcome;

    /// <summary>Kinds about a step's deadline that make no sense once the step is resolved or the cycle stopped.</summary>
    public static bool IsDroppable(EmailKind kind) => kind is EmailKind.Reminder or EmailKind.DueToday or EmailKind.Overdue or EmailKind.Escalation;

    /// <summary>Kinds a user who chose the weekly digest gets in the digest instead of one by one.</summary>
    public static bool IsDigestible(EmailKind kind) => kind is EmailKind.StepOpened or EmailKind.Reminder or EmailKind.ApprovalRequested or EmailKind.DueToday;

    /// <summary>The web UI's page of a step (Swedish routes): <c>/steg/{id}</c>.</summary>
    public static string StepPath(Guid stepId) => StepDeadlineEvents.StepPath(stepId);

    /// <summary>
    /// Reads what the rows' messages are made of (recipients, steps, cycles) in one go; each message is then made by
    /// <see cref="Batch.PrepareAsync"/> only when it is about to go. The dispatcher renders just ahead of its senders this
    /// way: a rendered message waits behind at most a few dozen instead of a whole batch, so far fewer are copied by the
    /// young collections (<c>bench email</c>: paused for collections ~30 µs a message instead of ~80).
    /// </summary>
    public async Task<Batch> ReadAsync(IReadOnlyList<OutboxMessageEntity> rows, CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            var userIds = rows.Select(r => r.RecipientUserId).Distinct().ToList();
            var stepIds = rows.Where(r => r.StepInstanceId is not null).Select(r => r.StepInstanceId!.Value).Distinct().ToList();
            var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
            var steps = await db.StepInstances.AsNoTracking().Where(s => stepIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
            var cycleIds = steps.Values.Select(s => s.CycleId).Concat(rows.Where(r => r.CycleId is not null).Select(r => r.CycleId!.Value)).Distinct().ToList();
            var cycles = await db.Cycles.AsNoTracking().Where(c => cycleIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
            return new Batch(this, db, users, steps, cycles);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>The rows of a claim with what their messages are made of, read in one go. Dispose it when the batch is done.</summary>
    public sealed class Batch : IAsyncDisposable
    {
        private readonly OutboxEmailBuilder _builder;
        private readonly AnnualCycleDbContext _db;
        private readonly Dictionary<string, AppUser> _users;
        private readonly Dictionary<Guid, StepInstanceEntity> _steps;
        private readonly Dictionary<Guid, CycleEntity> _cycles;

        internal Batch(OutboxEmailBuilder builder, AnnualCycleDbContext db, Dictionary<string, AppUser> users, Dictionary<Guid, StepInstanceEntity> steps, Dictionary<Guid, CycleEntity> cycles)
        {
            _builder = builder;
            _db = db;
            _users = users;
            _steps = steps;
            _cycles = cycles;
        }

        /// <summary>One row's outcome. A row that cannot be rendered is <see cref="Unsendable"/>: it must not hold up the batch.</summary>
        public Task<Outcome> PrepareAsync(OutboxMessageEntity row, DateTimeOffset now, CancellationToken ct) =>
            _builder.PrepareInBatchAsync(_db, row, _users, _steps, _cycles, now, ct);

        /// <summary>The row's message as its recipient read it (or will), rendered as at <paramref name="at"/>, whatever the dispatcher decided about sending it.</summary>
        internal Task<Outcome> RenderForReadingAsync(OutboxMessageEntity row, DateTimeOffset at, CancellationToken ct) =>
            _builder.PrepareOneAsync(_db, row, _users, _steps, _cycles, at, forReading: true, ct);

        public ValueTask DisposeAsync() => _db.DisposeAsync();
    }

    private async Task<Outcome> PrepareInBatchAsync(
        AnnualCycleDbContext db, OutboxMessageEntity row, Dictionary<string, AppUser> users, Dictionary<Guid, StepInstanceEntity> steps, Dictionary<Guid, CycleEntity> cycles, DateTimeOffset now, CancellationToken ct)
    {
        var rendering = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var outcome = await PrepareOneAsync(db, row, users, steps, cycles, now, forReading: false, ct);
            metrics.Stage("render", rendering);
            return outcome;
        }
        catch (InvalidEmailHeaderException ex)
        {
            return new Unsendable(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The administrator sees it dead-lettered.
            logger.LogError(ex, "Outbox row {OutboxId} could not be rendered", row.Id);
            return new Unsendable($"Could not be rendered: {ex.Message}");
        }
    }

    /// <summary>
    /// The message of one row as its recipient read it (or will read it), for the email log: rendered as at
    /// <paramref name="at"/> (when it was sent, or now for a row not sent yet) from the world as it is, whatever became of
    /// the step since (a reminder of a step completed later is still shown). Null, with the reason, when it cannot be
    /// rendered (its step or recipient is gone).
    /// </summary>
    public async Task<(MimeMessage? Message, string? Reason)> RenderForReadingAsync(OutboxMessageEntity row, DateTimeOffset at, CancellationToken ct)
    {
        await using var batch = await ReadAsync([row], ct);
        return await batch.RenderForReadingAsync(row, at, ct) switch
        {
            Ready ready => (ready.Message, null),
            Unsendable bad => (null, bad.Reason),
            var other => (null, other.ToString()),
        };
    }

    /// <summary>
    /// What a reminder is about, judged by when it was recorded, so its text never contradicts the calendar: one recorded
    /// on the due date (the process owner's "Påminn nu" that day) reads as the due-today notice, and one recorded after
    /// the deadline ("Påminn nu" on a late step) as the overdue notice, which says how late the step is. Other kinds are
    /// what they were recorded as.
    /// </summary>
    public static EmailKind EffectiveKind(EmailKind recorded, DateTimeOffset recordedAt, DateTimeOffset due, AnnualCycle.Domain.Calendar.StockholmTime zone)
    {
        if (recorded is not (EmailKind.Reminder or EmailKind.DueToday))
        {
            return recorded;
        }

        if (recordedAt > due)
        {
            return EmailKind.Overdue;
        }

        return zone.LocalDate(recordedAt) == zone.LocalDate(due) ? EmailKind.DueToday : recorded;
    }

    private async Task<Outcome> PrepareOneAsync(
        AnnualCycleDbContext db,
        OutboxMessageEntity row,
        Dictionary<string, AppUser> users,
        Dictionary<Guid, StepInstanceEntity> steps,
        Dictionary<Guid, CycleEntity> cycles,
        DateTimeOffset now,
        bool forReading,
        CancellationToken ct)
    {
        var step = row.StepInstanceId is { } stepId && steps.TryGetValue(stepId, out var s) ? s : null;
        var cycleId = step?.CycleId ?? row.CycleId;
        var cycle = cycleId is { } cid && cycles.TryGetValue(cid, out var c) ? c : null;
        // Reading a row in the email log shows its text whatever the dispatcher decided (or will decide) about sending it.
        if (IsDroppable(row.Kind) && !forReading)
        {
            if (step is null || cycle is null)
            {
                return new Drop("The step no longer exists.");
            }

            if (StepTransitions.IsResolved(step.State))
            {
                return new Drop($"The step was {step.State.ToString().ToLowerInvariant()} before the {row.Kind} went out.");
            }

            if (cycle.Status != CycleStatus.Running)
            {
                return new Drop($"The cycle is {cycle.Status.ToString().ToLowerInvariant()}.");
            }

            // A reminder asks the contributors to submit: once they have, it would only confuse them.
            if (row.Kind is EmailKind.Reminder or EmailKind.DueToday && !StepTransitions.IsWithContributor(step.State))
            {
                return new Drop($"The step was {step.State.ToString().ToLowerInvariant()} before the {row.Kind} went out.");
            }
        }

        if (!users.TryGetValue(row.RecipientUserId, out var user))
        {
            return new Unsendable($"No user {row.RecipientUserId}.");
        }

        if (string.IsNullOrWhiteSpace(user.Email))
        {
            return new Unsendable($"User {row.RecipientUserId} has no email address.");
        }

        var kind = step is not null && row.Kind != EmailKind.WeeklyDigest
            ? EffectiveKind(row.Kind, new DateTimeOffset(row.CreatedAtUtc, TimeSpan.Zero), new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero), zone)
            : row.Kind;
        if (user.EmailDelivery == EmailDelivery.WeeklyDigest && IsDigestible(kind) && !forReading)
        {
            return new Digest("Left for the weekly digest.");
        }

        // A reminder held up until after the deadline (the mail server was down) would count days that are gone; the
        // overdue notice of the next working day tells the same people what is true then.
        if (kind is EmailKind.Reminder or EmailKind.DueToday && step is not null && now > new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero) && !forReading)
        {
            return new Drop($"The deadline passed before the {row.Kind} went out.");
        }

        var language = EmailKindNames.FromPreference(user.Language);
        var recipient = new EmailRecipient(string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName, user.Email, language);
        var payload = ReadPayload(row.PayloadJson);
        EmailModel model;
        DeadlineEvent? deadline = null;
        if (row.Kind == EmailKind.WeeklyDigest)
        {
            var digest = string.IsNullOrEmpty(row.PayloadJson) ? null : JsonSerializer.Deserialize<DigestPayload>(row.PayloadJson);
            var items = digest?.Items ?? [];
            model = new EmailModel(EmailKind.WeeklyDigest, recipient, digest?.OrganisationId ?? cycle?.OrganisationId ?? "", cycle?.Name ?? "", cycle?.Year ?? 0,
                "", "", null, null, "/", DigestItems: items);
        }
        else
        {
            if (step is null || cycle is null)
            {
                return new Unsendable("The step of this notification no longer exists.");
            }

            var bodyName = catalog.FindOrganisation(cycle.OrganisationId)?.FindBody(step.BodyId)?.Name ?? step.BodyId;
            var due = new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero);
            int? daysLeft = kind is EmailKind.Reminder or EmailKind.DueToday ? Math.Max(0, DeadlineText.WorkingDaysLeft(now, due, zone)) : null;
            // A step opened after its deadline (a cycle started late) says so: "Att göra" with a passed deadline would mislead.
            Lateness? late = kind is EmailKind.Overdue or EmailKind.Escalation || (kind is EmailKind.StepOpened && now > due) ? DeadlineText.Late(now, due, zone) : null;
            var cause = await CauseAsync(db, row, language, ct);
            var path = StepPath(step.Id);
            model = new EmailModel(
                kind, recipient, cycle.OrganisationId, cycle.Name, cycle.Year, step.Title, bodyName, due, daysLeft, path,
                payload.Comment ?? cause?.Comment, cause?.ActorName,
                Late: late,
                AwaitingApproval: step.State == StepState.Submitted,
                CompletedByApproval: cause?.Action == "Approved");
            if (model.Kind.CarriesDeadlineEvent())
            {
                // The same UID and SEQUENCE as the calendar feed, so the attachment updates the subscribed event.
                deadline = StepDeadlineEvents.For(step, cycle, bodyName, options.Value.PublicBaseUrl);
            }
        }

        var composed = await composer.ComposeAsync(row.Id, model, deadline, ct);
        foreach (var problem in composed.Problems)
        {
            logger.LogWarning("Template problem for outbox row {OutboxId} (built-in used): {Problem}", row.Id, problem);
        }

        return new Ready(composed.Message);
    }

    /// <summary>The journal entry behind an email: who submitted, returned or completed the step, and their comment.</summary>
    private sealed record Cause(string? ActorName, string Action, string? Comment);

    /// <summary>
    /// The latest journal entry, up to the moment the row was recorded, of the act the email reports: the submission an
    /// approval request is about (also for the second approver of a chain), the return, the completion. The journal is
    /// append-only, so this reads the same however late the row is sent.
    /// </summary>
    private static async Task<Cause?> CauseAsync(AnnualCycleDbContext db, OutboxMessageEntity row, EmailLanguage language, CancellationToken ct)
    {
        if (row.StepInstanceId is not { } stepId || row.Kind is not (EmailKind.ApprovalRequested or EmailKind.Returned or EmailKind.Completed))
        {
            return null;
        }

        var entries = db.Journal.AsNoTracking().Where(j => j.StepInstanceId == stepId && j.AtUtc <= row.CreatedAtUtc);
        entries = row.Kind switch
        {
            EmailKind.ApprovalRequested => entries.Where(j => j.Action == "Submitted"),
            EmailKind.Returned => entries.Where(j => j.Action == "Returned"),
            _ => entries.Where(j => j.ToState == nameof(StepState.Completed)),
        };
        var entry = await entries.OrderByDescending(j => j.Sequence).FirstOrDefaultAsync(ct);
        if (entry is null)
        {
            return null;
        }

        var ids = new[] { entry.ActorUserId, entry.OnBehalfOfUserId }.OfType<string>().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email : u.DisplayName, ct);
        var actor = names.GetValueOrDefault(entry.ActorUserId);
        if (actor is not null && entry.OnBehalfOfUserId is { } principal && names.GetValueOrDefault(principal) is { } principalName)
        {
            actor = language == EmailLanguage.English ? $"{actor} (deputy for {principalName})" : $"{actor} (ersättare för {principalName})";
        }

        return new Cause(actor, entry.Action, entry.Comment);
    }

    private sealed record RowPayload(string? Comment);

    private static RowPayload ReadPayload(string? json) =>
        string.IsNullOrWhiteSpace(json) ? new RowPayload(null) : JsonSerializer.Deserialize<RowPayload>(json) ?? new RowPayload(null);
}
