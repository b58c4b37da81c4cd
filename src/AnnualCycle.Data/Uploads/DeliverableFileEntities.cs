using AnnualCycle.Data.Cycles;

namespace AnnualCycle.Data.Uploads;

/// <summary>
/// An uploaded deliverable of a step. The bytes live in <c>{DataFolder}/uploads/{stepId}/{StorageName}</c>; the
/// name on disk is random so a user-chosen file name never becomes a path.
/// </summary>
public sealed class DeliverableFileEntity
{
    public Guid Id { get; set; }

    public Guid StepInstanceId { get; set; }

    /// <summary>The file name as uploaded (only its last segment), shown and offered on download.</summary>
    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    public long SizeBytes { get; set; }

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; set; }

    /// <summary>Random file name under the step's upload folder.</summary>
    public required string StorageName { get; set; }

    public required string UploadedByUserId { get; set; }

    public string? UploadedOnBehalfOfUserId { get; set; }

    public DateTime UploadedAtUtc { get; set; }

    /// <summary>A file just stored under the step's upload folder as <paramref name="storageName"/>, uploaded <paramref name="by"/> someone (for whom, when).</summary>
    public static DeliverableFileEntity Uploaded(Guid stepInstanceId, string fileName, string contentType, string storageName, long sizeBytes, string sha256, Attribution by) => new()
    {
        Id = Guid.NewGuid(),
        StepInstanceId = stepInstanceId,
        // As the uploader named and declared it; then where the bytes are and what they are.
        FileName = fileName, ContentType = contentType,
        StorageName = storageName, SizeBytes = sizeBytes, Sha256 = sha256,
        UploadedByUserId = by.UserId, UploadedOnBehalfOfUserId = by.OnBehalfOfUserId, UploadedAtUtc = by.AtUtc,
    };
}

internal sealed class DeliverableFileConfiguration : IEntityTypeConfiguration<DeliverableFileEntity>
{
    public void Configure(EntityTypeBuilder<DeliverableFileEntity> e)
    {
        e.Property(f => f.FileName).HasMaxLength(255);
        e.Property(f => f.ContentType).HasMaxLength(200);
        e.HasSha256Hex(f => f.Sha256);
        e.Property(f => f.StorageName).HasMaxLength(100);
        e.HasUserIds(f => f.UploadedByUserId, f => f.UploadedOnBehalfOfUserId);
        e.HasOne<StepInstanceEntity>().WithManyCascading(f => f.StepInstanceId);
    }
}
