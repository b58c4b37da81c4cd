using AnnualCycle.Data.Calendar;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<CalendarTokenEntity> CalendarTokens => Set<CalendarTokenEntity>();
}
