using AnnualCycle.Data.Calendar;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<CalendarTokenEntity> CalendarTokens => Set<CalendarTokenEntity>();
}
