namespace AnnualCycle.Data.Cycles;

internal sealed class CycleConfiguration : IEntityTypeConfiguration<CycleEntity>
{
    public void Configure(EntityTypeBuilder<CycleEntity> e)
    {
        e.ToTable("Cycles");
        e.Property(c => c.OrganisationId).HasMaxLength(100);
        e.Property(c => c.WorkflowId).HasMaxLength(100);
        e.Property(c => c.Name).HasMaxLength(300);
        e.Property(c => c.StartedByUserId).HasMaxLength(450);
        e.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        e.Property(c => c.Version).IsConcurrencyToken();
        // The backstop for "one cycle per organisation, definition and year" when two starts race.
        e.HasIndex(c => new { c.OrganisationId, c.WorkflowId, c.Year }).IsUnique();
    }
}

internal sealed class StepInstanceConfiguration : IEntityTypeConfiguration<StepInstanceEntity>
{
    public void Configure(EntityTypeBuilder<StepInstanceEntity> e)
    {
        e.ToTable("StepInstances");
        e.Property(s => s.Key).HasMaxLength(200);
        e.Property(s => s.StepId).HasMaxLength(100);
        e.Property(s => s.Title).HasMaxLength(300);
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.BodyId).HasMaxLength(100);
        e.Property(s => s.Role).HasMaxLength(100);
        e.Property(s => s.Phase).HasMaxLength(50);
        e.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.DeliverableLink).HasMaxLength(2000);
        e.Property(s => s.Paragraph).HasMaxLength(MeetingDecision.MaxParagraphLength);
        e.Property(s => s.Version).IsConcurrencyToken();
        e.HasOne<CycleEntity>().WithMany().HasForeignKey(s => s.CycleId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(s => new { s.CycleId, s.Key }).IsUnique();
        e.HasIndex(s => new { s.State, s.DueAtUtc });
    }
}

internal sealed class ApprovalInstanceConfiguration : IEntityTypeConfiguration<ApprovalInstanceEntity>
{
    public void Configure(EntityTypeBuilder<ApprovalInstanceEntity> e)
    {
        e.ToTable("Approvals", t =>
        {
            // Separation of duties, enforced by the database too: whoever submitted may not decide,
            // neither in person nor as someone's deputy.
            t.HasCheckConstraint("CK_Approvals_NotSubmitter", "\"DecidedByUserId\" IS NULL OR \"DecidedByUserId\" <> \"SubmittedByUserId\"");
            t.HasCheckConstraint("CK_Approvals_NotOnBehalfOfSubmitter", "\"OnBehalfOfUserId\" IS NULL OR \"OnBehalfOfUserId\" <> \"SubmittedByUserId\"");
            t.HasCheckConstraint("CK_Approvals_NotSubmitterPrincipal", "\"DecidedByUserId\" IS NULL OR \"DecidedByUserId\" <> \"SubmittedOnBehalfOfUserId\"");
        });
        e.Property(a => a.BodyId).HasMaxLength(100);
        e.Property(a => a.Role).HasMaxLength(100);
        e.Property(a => a.Title).HasMaxLength(300);
        e.Property(a => a.State).HasConversion<string>().HasMaxLength(20);
        e.Property(a => a.Paragraph).HasMaxLength(MeetingDecision.MaxParagraphLength);
        e.HasOne<StepInstanceEntity>().WithMany().HasForeignKey(a => a.StepInstanceId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(a => new { a.StepInstanceId, a.Round, a.Order }).IsUnique();
        e.HasIndex(a => new { a.BodyId, a.Role, a.State });
    }
}

internal sealed class TimerConfiguration : IEntityTypeConfiguration<TimerEntity>
{
    public void Configure(EntityTypeBuilder<TimerEntity> e)
    {
        e.ToTable("Timers");
        e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(t => t.State).HasConversion<string>().HasMaxLength(20);
        e.Property(t => t.Target).HasMaxLength(50);
        e.Property(t => t.HangfireJobId).HasMaxLength(100);
        e.Property(t => t.LastError).HasMaxLength(2000);
        e.HasOne<StepInstanceEntity>().WithMany().HasForeignKey(t => t.StepInstanceId).OnDelete(DeleteBehavior.Cascade);
        e.HasIndex(t => new { t.State, t.DueAtUtc });
        e.HasIndex(t => t.StepInstanceId);
    }
}

internal sealed class TimerWakeupConfiguration : IEntityTypeConfiguration<TimerWakeupEntity>
{
    public void Configure(EntityTypeBuilder<TimerWakeupEntity> e)
    {
        e.ToTable("TimerWakeups");
        e.HasKey(w => w.Second);
        e.Property(w => w.Second).ValueGeneratedNever();
        e.Property(w => w.JobId).HasMaxLength(100);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessageEntity>
{
    public void Configure(EntityTypeBuilder<OutboxMessageEntity> e)
    {
        e.ToTable("OutboxMessages");
        e.Property(o => o.Kind).HasConversion<string>().HasMaxLength(30);
        e.Property(o => o.State).HasConversion<string>().HasMaxLength(20);
        e.Property(o => o.RecipientUserId).HasMaxLength(450);
        e.Property(o => o.DedupKey).HasMaxLength(300);
        e.Property(o => o.LastError).HasMaxLength(2000);
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
        e.ToTable("JobLeases");
        e.HasKey(l => l.Name);
        e.Property(l => l.Name).HasMaxLength(100);
        e.Property(l => l.Holder).HasMaxLength(100);
    }
}

internal sealed class JournalEntryConfiguration : IEntityTypeConfiguration<JournalEntryEntity>
{
    public void Configure(EntityTypeBuilder<JournalEntryEntity> e)
    {
        e.ToTable("Journal");
        e.HasKey(j => j.Sequence);
        // Assigned by the engine under the journal lock so the chain has no gaps.
        e.Property(j => j.Sequence).ValueGeneratedNever();
        e.Property(j => j.ActorUserId).HasMaxLength(450);
        e.Property(j => j.OnBehalfOfUserId).HasMaxLength(450);
        e.Property(j => j.Action).HasMaxLength(50);
        e.Property(j => j.Subject).HasMaxLength(200);
        e.Property(j => j.FromState).HasMaxLength(20);
        e.Property(j => j.ToState).HasMaxLength(20);
        e.Property(j => j.PreviousHash).HasMaxLength(64);
        e.Property(j => j.Hash).HasMaxLength(64);
        e.HasIndex(j => new { j.CycleId, j.Sequence });
    }
}

internal sealed class JournalHeadConfiguration : IEntityTypeConfiguration<JournalHeadEntity>
{
    public void Configure(EntityTypeBuilder<JournalHeadEntity> e)
    {
        e.ToTable("JournalHeads");
        e.HasKey(h => h.CycleId);
        e.Property(h => h.CycleId).ValueGeneratedNever();
        e.Property(h => h.LastHash).HasMaxLength(64);
    }
}
