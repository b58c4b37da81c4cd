using AnnualCycle.Data.Cycles;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<CycleEntity> Cycles => Set<CycleEntity>();

    public DbSet<StepInstanceEntity> StepInstances => Set<StepInstanceEntity>();

    public DbSet<ApprovalInstanceEntity> Approvals => Set<ApprovalInstanceEntity>();

    public DbSet<TimerEntity> Timers => Set<TimerEntity>();

    public DbSet<TimerWakeupEntity> TimerWakeups => Set<TimerWakeupEntity>();

    public DbSet<OutboxMessageEntity> OutboxMessages => Set<OutboxMessageEntity>();

    public DbSet<JournalEntryEntity> Journal => Set<JournalEntryEntity>();

    public DbSet<JournalHeadEntity> JournalHeads => Set<JournalHeadEntity>();

    public DbSet<JobLeaseEntity> JobLeases => Set<JobLeaseEntity>();
}
