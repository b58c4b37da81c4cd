using AnnualCycle.Data.People;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<RoleGrantEntity> RoleGrants => Set<RoleGrantEntity>();

    public DbSet<DeputyEntity> Deputies => Set<DeputyEntity>();
}
