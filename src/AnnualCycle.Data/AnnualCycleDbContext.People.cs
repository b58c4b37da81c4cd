using AnnualCycle.Data.People;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<RoleGrantEntity> RoleGrants => Set<RoleGrantEntity>();

    public DbSet<DeputyEntity> Deputies => Set<DeputyEntity>();
}
