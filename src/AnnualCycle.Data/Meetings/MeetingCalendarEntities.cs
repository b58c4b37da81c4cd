using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnualCycle.Data.Meetings;

/// <summary>
/// One imported sammanträde. The rows of an organisation and a calendar year are one import: for each body they
/// name, they replace that body's meetings of that year from <c>workflows/organisations/*.json</c>; bodies the
/// import does not name keep the file's meetings. A new import of the same year replaces the previous one.
/// </summary>
public sealed class ImportedMeetingEntity
{
    public Guid Id { get; set; }

    public required string OrganisationId { get; set; }

    /// <summary>The calendar year of <see cref="Date"/> (kept for the lookup by year).</summary>
    public int Year { get; set; }

    public required string BodyId { get; set; }

    /// <summary>The meeting's date in Europe/Stockholm.</summary>
    public DateOnly Date { get; set; }

    public string? Title { get; set; }

    public DateTime ImportedAtUtc { get; set; }

    public required string ImportedByUserId { get; set; }
}

internal sealed class ImportedMeetingConfiguration : IEntityTypeConfiguration<ImportedMeetingEntity>
{
    public void Configure(EntityTypeBuilder<ImportedMeetingEntity> e)
    {
        e.ToTable("ImportedMeetings");
        e.Property(m => m.OrganisationId).HasMaxLength(100);
        e.Property(m => m.BodyId).HasMaxLength(100);
        e.Property(m => m.Title).HasMaxLength(300);
        e.Property(m => m.ImportedByUserId).HasMaxLength(450);
        e.HasIndex(m => new { m.OrganisationId, m.Year });
    }
}
