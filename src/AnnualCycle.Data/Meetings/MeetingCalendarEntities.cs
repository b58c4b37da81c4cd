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
        e.HasDefinitionIds(m => m.OrganisationId, m => m.BodyId);
        e.HasTitles(m => m.Title);
        e.HasUserIds(m => m.ImportedByUserId);
        e.HasIndex(m => new { m.OrganisationId, m.Year });
    }
}

/// <summary>
/// One saved import of an organisation's sammanträdesplan for a calendar year: who saved it and when, and the meetings
/// it made effective (a copy, so an undo can restore exactly this version). Versions count 1, 2, … per organisation and
/// year; version 0 is "no import" (the meetings of <c>workflows/organisations/*.json</c>). An undo is itself a version
/// (<see cref="Kind"/> <c>undo</c>) that restores the version before the current one. The effective rows stay in
/// <see cref="ImportedMeetingEntity"/>.
/// </summary>
public sealed class MeetingImportVersionEntity
{
    public Guid Id { get; set; }

    public required string OrganisationId { get; set; }

    public int Year { get; set; }

    public int Version { get; set; }

    /// <summary><c>import</c> (a file) or <c>undo</c> (the re-import of <see cref="RestoresVersion"/>).</summary>
    public required string Kind { get; set; }

    /// <summary>For an undo: the version whose meetings it restored (0: the organisation file's).</summary>
    public int? RestoresVersion { get; set; }

    public DateTime ImportedAtUtc { get; set; }

    public required string ImportedByUserId { get; set; }

    public string? OnBehalfOfUserId { get; set; }

    /// <summary>The meetings this version made effective: JSON <c>[{"BodyId":"RF","Date":"2026-11-17","Title":"…"}]</c>.</summary>
    public required string MeetingsJson { get; set; }

    public int MeetingCount { get; set; }

    /// <summary>How many step dates of running cycles the save moved (the confirmed impact).</summary>
    public int MovedDates { get; set; }

    /// <summary>
    /// The next version of <paramref name="organisationId"/>'s <paramref name="year"/>: a file's import (<paramref name="kind"/>
    /// <c>import</c>) or an undo restoring <paramref name="restoresVersion"/>, holding <paramref name="meetingCount"/> meetings,
    /// saved <paramref name="by"/> someone (for whom, when).
    /// </summary>
    public static MeetingImportVersionEntity Saved(string organisationId, int year, int version, string kind, int? restoresVersion, string meetingsJson, int meetingCount, Attribution by) => new()
    {
        Id = Guid.NewGuid(),
        OrganisationId = organisationId, Year = year, Version = version,
        Kind = kind, RestoresVersion = restoresVersion,
        ImportedByUserId = by.UserId, OnBehalfOfUserId = by.OnBehalfOfUserId, ImportedAtUtc = by.AtUtc,
        MeetingsJson = meetingsJson, MeetingCount = meetingCount,
    };

    /// <summary>An effective meeting of this version: the version's organisation and year, saved when and by whom it was.</summary>
    public ImportedMeetingEntity Effective(string bodyId, DateOnly date, string? title) => new()
    {
        Id = Guid.NewGuid(),
        OrganisationId = OrganisationId,
        Year = Year,
        BodyId = bodyId,
        Date = date,
        Title = title,
        ImportedAtUtc = ImportedAtUtc,
        ImportedByUserId = ImportedByUserId,
    };
}

internal sealed class MeetingImportVersionConfiguration : IEntityTypeConfiguration<MeetingImportVersionEntity>
{
    public void Configure(EntityTypeBuilder<MeetingImportVersionEntity> e)
    {
        e.HasDefinitionIds(m => m.OrganisationId);
        e.Property(m => m.Kind).HasMaxLength(20);
        e.HasUserIds(m => m.ImportedByUserId, m => m.OnBehalfOfUserId);
        // Two saves racing for the same version number: the second fails here rather than writing a fork.
        e.HasIndex(m => new { m.OrganisationId, m.Year, m.Version }).IsUnique();
    }
}
