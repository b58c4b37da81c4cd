using AnnualCycle.Data.Identity;

namespace AnnualCycle.Data.People;

/// <summary>
/// A role a user holds in a body of an organisation. <see cref="BodyId"/> is null for organisation-wide
/// roles (process owner, administrator). <see cref="Role"/> is a constant of <c>Domain.People.Roles</c> or
/// an approver role named in the organisation file (e.g. <c>forvaltningsdirektor</c>, <c>regiondirektor</c>).
/// </summary>
public sealed class RoleGrantEntity
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public AppUser? User { get; set; }

    public required string OrganisationId { get; set; }

    public string? BodyId { get; set; }

    public required string Role { get; set; }
}

/// <summary>
/// An ersättare: <paramref name="deputyUserId"/> acts for <paramref name="principalUserId"/> from <paramref name="fromDate"/>
/// to <paramref name="toDate"/>, both days included, in Europe/Stockholm dates. A period is recorded once and never edited,
/// so it is made whole by its constructor (which EF uses too) and its properties are init-only: another period is another
/// row, and ending one early is removing it.
/// </summary>
/// <param name="principalUserId">The user whose grants the deputy may use while the period lasts.</param>
/// <param name="deputyUserId">The user who acts; what they do is recorded as theirs, on behalf of the principal.</param>
/// <param name="fromDate">The first day the deputy may act (included).</param>
/// <param name="toDate">The last day the deputy may act (included).</param>
public sealed class DeputyEntity(string principalUserId, string deputyUserId, DateOnly fromDate, DateOnly toDate)
{
    public Guid Id { get; init; }

    public string PrincipalUserId { get; init; } = principalUserId;

    public string DeputyUserId { get; init; } = deputyUserId;

    public DateOnly FromDate { get; init; } = fromDate;

    public DateOnly ToDate { get; init; } = toDate;
}

internal sealed class RoleGrantConfiguration : IEntityTypeConfiguration<RoleGrantEntity>
{
    public void Configure(EntityTypeBuilder<RoleGrantEntity> e)
    {
        e.HasDefinitionIds(g => g.OrganisationId, g => g.BodyId, g => g.Role);
        e.HasOne(g => g.User).WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(g => new { g.UserId, g.OrganisationId, g.BodyId, g.Role }).IsUnique();
        e.HasIndex(g => new { g.OrganisationId, g.BodyId, g.Role });
    }
}

internal sealed class DeputyConfiguration : IEntityTypeConfiguration<DeputyEntity>
{
    public void Configure(EntityTypeBuilder<DeputyEntity> e)
    {
        e.HasOne<AppUser>().WithManyCascading(d => d.PrincipalUserId);
        e.HasOne<AppUser>().WithManyCascading(d => d.DeputyUserId);
        e.HasIndex(d => new { d.DeputyUserId, d.FromDate, d.ToDate });
        e.ToTable(t => t.HasCheckConstraint("CK_Deputies_Range", "\"ToDate\" >= \"FromDate\""));
        e.ToTable(t => t.HasCheckConstraint("CK_Deputies_NotSelf", "\"DeputyUserId\" <> \"PrincipalUserId\""));
    }
}
