namespace AnnualCycle.Data.Entities;

/// <summary>
/// A dated sammanträde of a body, from its sammanträdesplan. Decisions in a cycle are anchored to meetings.
/// </summary>
public sealed class Meeting
{
    public Guid Id { get; set; }

    /// <summary>Organisation id as named in <c>workflows/organisations/</c>, e.g. <c>region-vasterbotten</c>.</summary>
    public required string OrganisationId { get; set; }

    /// <summary>Body id within the organisation, e.g. <c>RF</c>, <c>HSN</c>.</summary>
    public required string BodyId { get; set; }

    /// <summary>When the meeting starts, UTC. Shown in Europe/Stockholm.</summary>
    public DateTime StartsAtUtc { get; set; }

    public string? Title { get; set; }
}
