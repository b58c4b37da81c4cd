using System.Buffers.Text;
using System.Security.Cryptography;
using AnnualCycle.Data.Calendar;

namespace AnnualCycle.Runtime.Calendar;

/// <summary>Whose calendar: a user (<see cref="OrganisationId"/> null) or a body of an organisation.</summary>
public sealed record CalendarOwner(CalendarOwnerKind Kind, string OwnerId, string? OrganisationId)
{
    public static CalendarOwner User(string userId) => new(CalendarOwnerKind.User, userId, null);

    public static CalendarOwner Body(string organisationId, string bodyId) => new(CalendarOwnerKind.Body, bodyId, organisationId);
}

/// <summary>
/// The state of one owner's subscription. <see cref="Token"/> is the raw secret and is only known right after it
/// was made (<see cref="CalendarTokens.GetOrCreateAsync"/> on first use, or <see cref="CalendarTokens.RenewAsync"/>):
/// the database keeps its hash only.
/// </summary>
public sealed record CalendarSubscription(Guid Id, DateTime CreatedAtUtc, string? Token);

/// <summary>
/// Secret calendar subscription tokens: 256 random bits, URL-safe base64 without padding (43 characters), stored
/// as a SHA-256 hash. An owner has one live token (two racing first calls may leave two; renewing or revoking ends
/// every live token of the owner, in the same transaction as making the new one).
/// </summary>
public sealed class CalendarTokens(AnnualCycleDbContext db, TimeProvider clock)
{
    /// <summary>Length of a raw token: 32 bytes in base64url without padding.</summary>
    public const int TokenLength = 43;

    /// <summary>The owner's live subscription, making one (and returning its token) when there is none.</summary>
    public async Task<CalendarSubscription> GetOrCreateAsync(CalendarOwner owner, CancellationToken ct = default)
    {
        var live = await LiveAsync(owner, ct);
        if (live is not null)
        {
            return new CalendarSubscription(live.Id, live.CreatedAtUtc, null);
        }

        return await CreateAsync(owner, revokeOld: false, ct);
    }

    /// <summary>A new token for the owner; every older token of theirs stops working.</summary>
    public Task<CalendarSubscription> RenewAsync(CalendarOwner owner, CancellationToken ct = default) =>
        CreateAsync(owner, revokeOld: true, ct);

    /// <summary>Revokes the owner's live token(s). Returns false when there was none.</summary>
    public async Task<bool> RevokeAsync(CalendarOwner owner, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var live = await LiveQuery(owner).ToListAsync(ct);
        foreach (var token in live)
        {
            token.RevokedAtUtc = now;
        }

        await db.SaveChangesAsync(ct);
        return live.Count > 0;
    }

    /// <summary>The owner of a live token, or null for a malformed, unknown or revoked one.</summary>
    public async Task<CalendarOwner?> ResolveAsync(string? token, CancellationToken ct = default)
    {
        if (token is null || token.Length != TokenLength || !Base64Url.IsValid(token))
        {
            return null;
        }

        var hash = HashOf(token);
        var row = await db.CalendarTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAtUtc == null)
            .Select(t => new { t.OwnerKind, t.OwnerId, t.OrganisationId })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new CalendarOwner(row.OwnerKind, row.OwnerId, row.OrganisationId);
    }

    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes: what the database keeps.</summary>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<CalendarSubscription> CreateAsync(CalendarOwner owner, bool revokeOld, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (revokeOld)
        {
            foreach (var old in await LiveQuery(owner).ToListAsync(ct))
            {
                old.RevokedAtUtc = now;
            }
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var entity = new CalendarTokenEntity
        {
            Id = Guid.NewGuid(),
            OwnerKind = owner.Kind,
            OwnerId = owner.OwnerId,
            OrganisationId = owner.OrganisationId,
            TokenHash = HashOf(token),
            CreatedAtUtc = now,
        };
        db.CalendarTokens.Add(entity);
        await db.SaveChangesAsync(ct);
        return new CalendarSubscription(entity.Id, entity.CreatedAtUtc, token);
    }

    private Task<CalendarTokenEntity?> LiveAsync(CalendarOwner owner, CancellationToken ct) =>
        LiveQuery(owner).OrderByDescending(t => t.CreatedAtUtc).FirstOrDefaultAsync(ct);

    private IQueryable<CalendarTokenEntity> LiveQuery(CalendarOwner owner) => db.CalendarTokens.Where(t =>
        t.OwnerKind == owner.Kind && t.OwnerId == owner.OwnerId && t.OrganisationId == owner.OrganisationId && t.RevokedAtUtc == null);
}
