namespace AnnualCycle.Data.Calendar;

/// <summary>Whose calendar a subscription token serves.</summary>
public enum CalendarOwnerKind
{
    User,
    Body,
}

/// <summary>
/// A secret calendar subscription (<c>/calendar/{token}.ics</c>). Only the SHA-256 hash of the token is stored,
/// so a leaked database does not leak working feed URLs; the raw token is shown once, when it is made.
/// A token is never deleted: revoking (or renewing, which revokes the old one) sets <see cref="RevokedAtUtc"/>.
/// </summary>
public sealed class CalendarTokenEntity
{
    public Guid Id { get; set; }

    public CalendarOwnerKind OwnerKind { get; set; }

    /// <summary>The user's id, or the body's id (e.g. <c>HSN</c>) within <see cref="OrganisationId"/>.</summary>
    public required string OwnerId { get; set; }

    /// <summary>The organisation of a body; null for a user (a user's feed spans all their organisations).</summary>
    public string? OrganisationId { get; set; }

    /// <summary>Lower-case hex SHA-256 of the raw token's UTF-8 bytes.</summary>
    public required string TokenHash { get; set; }

    public DateTime CreatedAtUtc { get; set; }

    public DateTime? RevokedAtUtc { get; set; }
}

internal sealed class CalendarTokenConfiguration : IEntityTypeConfiguration<CalendarTokenEntity>
{
    public void Configure(EntityTypeBuilder<CalendarTokenEntity> e)
    {
        // Stored by its name (as every enum); User or Body needs less than the usual room.
        e.Property(t => t.OwnerKind).HasMaxLength(10);
        // A user's id or a body's id: room for the longer.
        e.HasUserIds(t => t.OwnerId);
        e.HasDefinitionIds(t => t.OrganisationId);
        e.Property(t => t.TokenHash).HasMaxLength(64).IsFixedLength(false);
        e.HasIndex(t => t.TokenHash).IsUnique();
        e.HasIndex(t => new { t.OwnerKind, t.OwnerId, t.OrganisationId, t.RevokedAtUtc });
    }
}
