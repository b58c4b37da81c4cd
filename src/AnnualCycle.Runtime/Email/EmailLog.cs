using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Runtime.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Email;

/// <summary>One email of the log as its recipient reads it: the subject and the plain-text body.</summary>
/// <param name="RenderedAtUtc">The moment the text was rendered as of: when it was sent, or now for one not sent yet.</param>
/// <param name="Problem">Why there is no text (its step or recipient is gone); null when there is.</param>
public sealed record EmailMessageDto(
    Guid Id,
    string Kind,
    string State,
    string? To,
    Guid? CycleId,
    Guid? StepInstanceId,
    DateTime CreatedAtUtc,
    DateTime? SentAtUtc,
    DateTime RenderedAtUtc,
    string? Subject,
    string? Text,
    string? Problem);

/// <summary>
/// The email log of an organisation, read-only: which reminders and notices went out (or wait to) about its cycles,
/// and what each said. For its process owners and administrators (<see cref="OrganisationAccess.AdministeredOrOwned"/>,
/// the one rule for who looks after an organisation); to anyone else a row does not exist (404), and a person who looks
/// after no organisation is refused (403). Organisation is a hard boundary: only rows about a cycle of one's
/// organisations are shown; a weekly digest lists the recipient's tasks of every organisation, so it is not in this log
/// (administrators see it on their own page). Sending again stays with the administrators (<see cref="EmailAdministration"/>).
/// </summary>
public sealed class EmailLog(AnnualCycleDbContext db, OutboxEmailBuilder builder, TimeProvider clock)
{
    public const int PageSize = EmailAdministration.PageSize;

    public async Task<OutboxPageDto> ListAsync(Actor actor, Guid? cycleId, int? page, CancellationToken ct = default)
    {
        var rows = Visible(Require(actor));
        var pageNumber = page ?? 1;
        if (pageNumber < 1)
        {
            throw new InputException("page", "must be 1 or more");
        }

        if (cycleId is not null)
        {
            rows = rows.Where(o => o.CycleId == cycleId);
        }

        return await EmailAdministration.PageAsync(db, rows, pageNumber, ct);
    }

    /// <summary>One email with its subject and text, rendered as at the moment it was sent (or now, if it was not).</summary>
    public async Task<EmailMessageDto> ReadAsync(Actor actor, Guid id, CancellationToken ct = default)
    {
        var row = await Visible(Require(actor)).FirstOrDefaultAsync(o => o.Id == id, ct) ?? throw new NotFoundException($"No email {id}.");
        var at = row.SentAtUtc is { } sent ? new DateTimeOffset(sent, TimeSpan.Zero) : clock.GetUtcNow();
        var (message, problem) = await builder.RenderForReadingAsync(row, at, ct);
        var to = message?.To.Mailboxes.FirstOrDefault()?.Address
            ?? await db.Users.AsNoTracking().Where(u => u.Id == row.RecipientUserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        return new EmailMessageDto(
            row.Id, row.Kind.ToString(), row.State.ToString(), to, row.CycleId, row.StepInstanceId, row.CreatedAtUtc, row.SentAtUtc,
            at.UtcDateTime, message?.Subject, message?.TextBody, problem);
    }

    private static OrganisationScope Require(Actor actor)
    {
        var scope = actor.AdministeredOrOwned();
        return scope.IsEmpty ? throw new ForbiddenActionException("Only a process owner or an administrator may read the email log.") : scope;
    }

    /// <summary>The rows about a cycle of the scope's organisations (see the class summary).</summary>
    private IQueryable<OutboxMessageEntity> Visible(OrganisationScope scope)
    {
        var rows = db.OutboxMessages.AsNoTracking().Where(o => o.CycleId != null);
        if (scope.All)
        {
            return rows;
        }

        // Organisation ids as the grants and cycles store them (the catalog's spelling): exact comparison in SQL.
        var organisations = scope.Organisations.ToList();
        return rows.Where(o => db.Cycles.Any(c => c.Id == o.CycleId && organisations.Contains(c.OrganisationId)));
    }
}
