using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Mime;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnualCycle.Runtime.Email;

/// <summary>One outbox row as the administrator sees it (no payload: it may hold user text meant for one person).</summary>
public sealed record OutboxRowDto(
    Guid Id,
    string Kind,
    string RecipientUserId,
    string? RecipientEmail,
    Guid? CycleId,
    Guid? StepInstanceId,
    string State,
    int Attempts,
    DateTime CreatedAtUtc,
    DateTime? FirstAttemptAtUtc,
    DateTime? NextAttemptAtUtc,
    DateTime? SentAtUtc,
    int? LastStatusCode,
    string? LastError);

public sealed record OutboxPageDto(IReadOnlyList<OutboxRowDto> Items, int Page, int PageSize, int Total);

/// <summary>The SMTP answer to a test email.</summary>
/// <param name="Transport">"smtp host:port (Security)" or "pick-up folder path".</param>
public sealed record TestEmailResultDto(string To, string Outcome, int? StatusCode, string? Detail, string MessageId, string Transport);

public sealed record TestEmailCommand(string? To);

/// <summary>
/// The administrator's view of email: the outbox with filters, counts per state, "send now" for a row that
/// failed, and a test email sent synchronously to check the SMTP settings. An administrator sees the rows of the
/// organisations they administer: a row about a cycle belongs to the cycle's organisation, a row without one (the weekly
/// digest) to every organisation its recipient holds a grant in. A system administrator sees every row. Rows of other
/// organisations are not shown to exist (404). The test email carries no organisation's data, so any administrator may send one.
/// </summary>
public sealed class EmailAdministration(
    AnnualCycleDbContext db,
    TimeProvider clock,
    IMailTransport transport,
    MimeMessageBuilder builder,
    IEmailRenderer renderer,
    IOptions<EmailOptions> options,
    IOutboxWakeup wakeup)
{
    public const int PageSize = 50;

    public async Task<OutboxPageDto> ListAsync(Actor actor, string? state, string? recipient, Guid? cycleId, int? page, CancellationToken ct = default)
    {
        var scope = actor.RequireAdministrator();
        var pageNumber = page ?? 1;
        if (pageNumber < 1)
        {
            throw new InputException("page", "must be 1 or more");
        }

        var rows = Visible(scope);
        if (!string.IsNullOrWhiteSpace(state))
        {
            var wanted = ParseState(state);
            rows = rows.Where(o => o.State == wanted);
        }

        if (!string.IsNullOrWhiteSpace(recipient))
        {
            // A user id or an email address.
            var text = recipient.Trim();
            var email = text.ToUpperInvariant();
            var ids = await db.Users.AsNoTracking().Where(u => u.Id == text || u.NormalizedEmail == email).Select(u => u.Id).ToListAsync(ct);
            rows = rows.Where(o => ids.Contains(o.RecipientUserId));
        }

        if (cycleId is not null)
        {
            rows = rows.Where(o => o.CycleId == cycleId);
        }

        return await PageAsync(db, rows, pageNumber, ct);
    }

    /// <summary>One page of outbox rows, newest first, each with its recipient's address (the admin page and the email log).</summary>
    internal static async Task<OutboxPageDto> PageAsync(AnnualCycleDbContext db, IQueryable<OutboxMessageEntity> rows, int pageNumber, CancellationToken ct)
    {
        var total = await rows.CountAsync(ct);
        var items = await (from o in rows
                           join u in db.Users.AsNoTracking() on o.RecipientUserId equals u.Id into users
                           from u in users.DefaultIfEmpty()
                           orderby o.CreatedAtUtc descending, o.Id
                           select new { o, Email = u == null ? null : u.Email })
            .Skip((pageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new OutboxPageDto(items.Select(x => ToDto(x.o, x.Email)).ToList(), pageNumber, PageSize, total);
    }

    /// <summary>Counts per state, every state named (0 when none), for the admin page.</summary>
    public async Task<IReadOnlyDictionary<string, int>> StatsAsync(Actor actor, CancellationToken ct = default)
    {
        var counts = await Visible(actor.RequireAdministrator()).GroupBy(o => o.State).Select(g => new { State = g.Key, Count = g.Count() }).ToListAsync(ct);
        return Enum.GetValues<OutboxState>().ToDictionary(s => s.ToString(), s => counts.FirstOrDefault(c => c.State == s)?.Count ?? 0);
    }

    /// <summary>
    /// Makes a Retrying or DeadLetter row due now (a dead letter gets a fresh 48-hour window) and wakes the dispatcher.
    /// Any other state is a 409: a Sent row is never sent again.
    /// </summary>
    public async Task<OutboxRowDto> SendNowAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        var scope = actor.RequireAdministrator();
        if (!await Visible(scope).AnyAsync(o => o.Id == id, ct))
        {
            throw new NotFoundException($"No email {id}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.OutboxMessages
            .Where(o => o.Id == id && (o.State == OutboxState.Retrying || o.State == OutboxState.DeadLetter))
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.FirstAttemptAtUtc, o => o.State == OutboxState.DeadLetter ? null : o.FirstAttemptAtUtc)
                .SetProperty(o => o.State, OutboxState.Retrying)
                .SetProperty(o => o.NextAttemptAtUtc, now), ct);
        var row = await db.OutboxMessages.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct)
            ?? throw new NotFoundException($"No email {id}.");
        if (changed == 0)
        {
            throw new IllegalTransitionException($"Email {id}", row.State.ToString(), "Retrying", "only a Retrying or DeadLetter email can be sent now");
        }

        OutboxWakeups.TryWake(wakeup);
        var email = await db.Users.AsNoTracking().Where(u => u.Id == row.RecipientUserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        return ToDto(row, email);
    }

    /// <summary>Sends a test email now, outside the outbox, and reports what the server answered.</summary>
    public Task<TestEmailResultDto> SendTestAsync(Actor actor, TestEmailCommand command, CancellationToken ct = default)
    {
        actor.RequireAdministrator();
        return new TestEmailSender(transport, builder, renderer, options).SendAsync(command.To, ct);
    }

    /// <summary>The outbox rows of the scope's organisations (see the class summary).</summary>
    private IQueryable<OutboxMessageEntity> Visible(OrganisationScope scope)
    {
        var rows = db.OutboxMessages.AsNoTracking();
        if (scope.All)
        {
            return rows;
        }

        // Organisation ids as the grants and cycles store them (the catalog's spelling): exact comparison in SQL.
        var organisations = scope.Organisations.ToList();
        return rows.Where(o =>
            (o.CycleId != null && db.Cycles.Any(c => c.Id == o.CycleId && organisations.Contains(c.OrganisationId)))
            || (o.CycleId == null && db.RoleGrants.Any(g => g.UserId == o.RecipientUserId && organisations.Contains(g.OrganisationId))));
    }

    private static OutboxState ParseState(string value) =>
        Enum.TryParse<OutboxState>(value.Trim(), ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(value, out _)
            ? state
            : throw new InputException("state", "must be one of " + string.Join(", ", Enum.GetNames<OutboxState>()));

    internal static OutboxRowDto ToDto(OutboxMessageEntity o, string? email) => new(
        o.Id, o.Kind.ToString(), o.RecipientUserId, email, o.CycleId, o.StepInstanceId, o.State.ToString(), o.Attempts,
        o.CreatedAtUtc, o.FirstAttemptAtUtc, o.NextAttemptAtUtc, o.SentAtUtc, o.LastStatusCode, o.LastError);
}

/// <summary>A test email to check the SMTP settings: rendered from the built-in "test" template and sent at once, not through the outbox.</summary>
public sealed class TestEmailSender(IMailTransport transport, MimeMessageBuilder builder, IEmailRenderer renderer, IOptions<EmailOptions> options)
{
    /// <summary>Sends to <paramref name="to"/>; an invalid address (CR/LF included) is an <see cref="InputException"/> on "to".</summary>
    public async Task<TestEmailResultDto> SendAsync(string? to, CancellationToken ct = default)
    {
        var address = to?.Trim() ?? "";
        if (EmailAddressValidator.Validate(to) is { } reason)
        {
            throw new InputException("to", reason);
        }

        var recipient = new EmailRecipient(address, address);
        var model = new EmailModel(EmailKind.Test, recipient, "", "", 0, "", "", null, null, "/");
        var content = await renderer.RenderAsync(model, ct);
        var message = builder.Build(Guid.NewGuid(), recipient, content);
        var result = (await transport.SendBatchAsync([message], ct))[0];
        var smtp = options.Value.Smtp;
        var where = transport is PickupFolderMailTransport pickup
            ? $"pick-up folder {pickup.Folder}"
            : $"smtp {smtp.Host}:{smtp.Port} ({smtp.Security})";
        return new TestEmailResultDto(address, result.Outcome.ToString(), result.StatusCode, result.Detail, message.MessageId ?? "", where);
    }
}
