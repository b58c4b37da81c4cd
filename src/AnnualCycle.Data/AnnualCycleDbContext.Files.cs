using AnnualCycle.Data.Meetings;
using AnnualCycle.Data.Uploads;

namespace AnnualCycle.Data;

public partial class AnnualCycleDbContext
{
    public DbSet<ImportedMeetingEntity> ImportedMeetings => Set<ImportedMeetingEntity>();

    public DbSet<MeetingImportVersionEntity> MeetingImportVersions => Set<MeetingImportVersionEntity>();

    public DbSet<DeliverableFileEntity> DeliverableFiles => Set<DeliverableFileEntity>();
}
