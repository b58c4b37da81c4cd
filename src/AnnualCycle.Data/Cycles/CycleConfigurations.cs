namespace AnnualCycle.Data.Cycles;

internal sealed class CycleConfiguration : IEntityTypeConfiguration<CycleEntity>
{
    public void Configure(EntityTypeBuilder<CycleEntity> e)
    {
        e.HasDefinitionIds(c => c.OrganisationId, c => c.WorkflowId);
        e.HasTitles(c => c.Name);
        e.HasUserIds(c => c.StartedByUserId);
        e.HasConcurrencyVersion(c => c.Version);
        // The backstop for "one cycle per organisation, definition and year" when two starts race.
        e.HasIndex(c => new { c.OrganisationId, c.WorkflowId, c.Year }).IsUnique();
    }
}

internal sealed class StepInstanceConfiguration : IEntityTypeConfiguration<StepInstanceEntity>
{
    public void Configure(EntityTypeBuilder<StepInstanceEntity> e)
    {
        e.Property(s => s.Key).HasMaxLength(200);
        e.HasDefinitionIds(s => s.StepId, s => s.BodyId, s => s.Role);
        e.HasTitles(s => s.Title);
        e.Property(s => s.Phase).HasMaxLength(50);
        e.Property(s => s.DeliverableLink).HasMaxLength(2000);
        e.Property(s => s.Paragraph).HasMaxLength(MeetingDecision.MaxParagraphLength);
        e.HasConcurrencyVersion(s => s.Version);
        e.HasOne<CycleEntity>().WithManyCascading(s => s.CycleId);
        e.HasIndex(s => new { s.CycleId, s.Key }).IsUnique();
        e.HasIndex(s => new { s.State, s.DueAtUtc });
    }
}

internal sealed class ApprovalInstanceConfiguration : IEntityTypeConfiguration<ApprovalInstanceEntity>
{
    public void Configure(EntityTypeBuilder<ApprovalInstanceEntity> e)
    {
        e.ToTable(t =>
        {
            // Separation of duties, enforced by the database too: whoever submitted may not decide,
            // neither in person nor as someone's deputy.
            t.HasCheckConstraint("CK_Approvals_NotSubmitter", "\"DecidedByUserId\" IS NULL OR \"DecidedByUserId\" <> \"SubmittedByUserId\"");
            t.HasCheckConstraint("CK_Approvals_NotOnBehalfOfSubmitter", "\"OnBehalfOfUserId\" IS NULL OR \"OnBehalfOfUserId\" <> \"SubmittedByUserId\"");
            t.HasCheckConstraint("CK_Approvals_NotSubmitterPrincipal", "\"DecidedByUserId\" IS NULL OR \"DecidedByUserId\" <> \"SubmittedOnBehalfOfUserId\"");
        });
        e.HasDefinitionIds(a => a.BodyId, a => a.Role);
        e.HasTitles(a => a.Title);
        e.Property(a => a.Paragraph).HasMaxLength(MeetingDecision.MaxParagraphLength);
        e.HasOne<StepInstanceEntity>().WithManyCascading(a => a.StepInstanceId);
        e.HasIndex(a => new { a.StepInstanceId, a.Round, a.Order }).IsUnique();
        e.HasIndex(a => new { a.BodyId, a.Role, a.State });
    }
}

internal sealed class TimerConfiguration : IEntityTypeConfiguration<TimerEntity>
{
    public void Configure(EntityTypeBuilder<TimerEntity> e)
    {
        e.Property(t => t.Target).HasMaxLength(50);
        e.Property(t => t.HangfireJobId).HasMaxLength(100);
        e.HasErrors(t => t.LastError);
        e.HasOne<StepInstanceEntity>().WithManyCascading(t => t.StepInstanceId);
        e.HasIndex(t => new { t.State, t.DueAtUtc });
    }
}

internal sealed class TimerWakeupConfiguration : IEntityTypeConfiguration<TimerWakeupEntity>
{
    public void Configure(EntityTypeBuilder<TimerWakeupEntity> e)
    {
        e.HasAssignedKey(w => w.Second);
        e.Property(w => w.JobId).HasMaxLength(100);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessageEntity>
{
    public void Configure(EntityTypeBuilder<OutboxMessageEntity> e)
    {
        // Stored by its name (as every enum); an email kind's name needs more than the usual room.
        e.Property(o => o.Kind).HasMaxLength(30);
        e.HasUserIds(o => o.RecipientUserId);
        e.Property(o => o.DedupKey).HasMaxLength(300);
        e.HasErrors(o => o.LastError);
        e.HasIndex(o => o.DedupKey).IsUnique();
        // The claim reads the oldest rows of a state in this order without sorting the backlog; a run's own rows are
        // found by State = Sending (few) and their token. An index holding State or ClaimToken is written again by each
        // claim and each Sent mark (on the send path), so this is the only one: the email log's filter by recipient
        // reads its index without State.
        e.HasIndex(o => new { o.State, o.CreatedAtUtc, o.Id });
        e.HasIndex(o => o.RecipientUserId);
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLeaseEntity>
{
    public void Configure(EntityTypeBuilder<JobLeaseEntity> e)
    {
        e.HasKey(l => l.Name);
        e.Property(l => l.Name).HasMaxLength(100);
        e.Property(l => l.Holder).HasMaxLength(100);
    }
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntryEntity>
{
    public void Configure(EntityTypeBuilder<JournalEntryEntity> e)
    {
        // Assigned by the engine under the journal lock so the chain has no gaps.
        e.HasAssignedKey(j => j.Sequence);
        e.HasUserIds(j => j.ActorUserId, j => j.OnBehalfOfUserId);
        e.Property(j => j.Action).HasMaxLength(50);
        e.Property(j => j.Subject).HasMaxLength(200);
        e.HasEnumNames(j => j.FromState, j => j.ToState);
        e.HasSha256Hex(j => j.PreviousHash, j => j.Hash);
        e.HasIndex(j => new { j.CycleId, j.Sequence });
    }
}

internal sealed class JournalHeadConfiguration : IEntityTypeConfiguration<JournalHeadEntity>
{
    public void Configure(EntityTypeBuilder<JournalHeadEntity> e)
    {
        e.HasAssignedKey(h => h.CycleId);
        e.HasSha256Hex(h => h.LastHash);
    }
}
