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
/// An ersättare: <see cref="DeputyUserId"/> acts for <see cref="PrincipalUserId"/> from <see cref="FromDate"/>
/// to <see cref="ToDate"/>, both days included, in Europe/Stockholm dates.
/// </summary>
public sealed class DeputyEntity
{
    public Guid Id { get; set; }

    public required string PrincipalUserId { get; set; }

    public required string DeputyUserId { get; set; }

    public DateOnly FromDate { get; set; }

    public DateOnly ToDate { get; set; }
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
