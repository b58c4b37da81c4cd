using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Issue 15: the secretary records the nämnd's decision as data, the meeting date and the paragraph (§), and cannot
/// confirm a decision before its meeting. The återkoppling of HSN is signed by the förvaltningsdirektör, then by the nämnd
/// (its secretary); on 20 April 2026 (the clock) a meeting on the 21st has not been held.
/// </summary>
public abstract class MeetingDecisionTests : EngineTestBase
{
    private static readonly DateOnly Today = new(2026, 4, 20);

    [Fact]
    public async Task NamndSignature_NeedsMeetingDateAndParagraph_NotAfterToday_AndARefusalWritesNothing()
    {
        await using var h = await CreateHarnessAsync();
        var step = await SubmittedAterkopplingAsync(h);
        var director = await h.ActorAsync(HsfDirector);
        Assert.Equal("Submitted", (await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(director, new ApproveStepCommand(step.Id, "ok")))).State);
        var committee = await h.ActorAsync(HsnCommittee);
        var before = await SnapshotAsync(h, step.Id);

        async Task<InputException> Refused(DateOnly? date, string? paragraph) =>
            await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(committee, new ApproveStepCommand(step.Id, "beslutat", date, paragraph))));

        var missing = await Refused(null, "§ 12");
        Assert.Equal(("meetingDate", "is required"), (missing.Field, missing.Problem));
        var future = await Refused(Today.AddDays(1), "§ 12");
        Assert.Equal("meetingDate", future.Field);
        Assert.StartsWith("cannot confirm a decision before its meeting", future.Problem, StringComparison.Ordinal);
        Assert.Equal(("paragraph", "is required"), ((await Refused(Today, "  ")).Field, (await Refused(Today, "  ")).Problem));
        Assert.Equal("paragraph", (await Refused(Today, new string('§', 21))).Field);
        Assert.Equal(before, await SnapshotAsync(h, step.Id));

        var done = await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(committee, new ApproveStepCommand(step.Id, "beslutat", Today.AddDays(-4), "  § 123 ")));
        Assert.Equal("Completed", done.State);
        var approval = await h.DbAsync(db => db.Approvals.SingleAsync(a => a.StepInstanceId == step.Id && a.Role == "namnd"));
        Assert.Equal((new DateOnly(2026, 4, 16), "§ 123"), (approval.MeetingDate, approval.Paragraph));
        var entry = await h.DbAsync(db => db.Journal.Where(j => j.StepInstanceId == step.Id && j.Action == "Approved").OrderBy(j => j.Sequence).LastAsync());
        Assert.Equal("Decided 2026-04-16, § 123\nbeslutat", entry.Comment);

        var detail = await h.HandleAsync<GetStepQuery, StepDetailDto>(async q => await q.HandleAsync(await h.ActorAsync(ProcessOwner), step.Id));
        var shown = detail.Approvals.Single(a => a.Role == "namnd");
        Assert.Equal((new DateOnly(2026, 4, 16), "§ 123"), (shown.MeetingDate, shown.Paragraph));
        Assert.Null(detail.Approvals.Single(a => a.Role == "forvaltningsdirektor").MeetingDate);
    }

    [Fact]
    public async Task Capabilities_SayWhichSignatureRecordsADecision_AndTheDirectorsTakesNoMeetingDate()
    {
        await using var h = await CreateHarnessAsync();
        var step = await SubmittedAterkopplingAsync(h);
        var director = await h.ActorAsync(HsfDirector);
        var asDirector = await h.HandleAsync<GetStepQuery, StepDetailDto>(q => q.HandleAsync(director, step.Id));
        Assert.True(asDirector.Step.Capabilities!.Approve.Allowed);
        Assert.Null(asDirector.Step.Capabilities.Approve.DecisionOf);

        var extra = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(director, new ApproveStepCommand(step.Id, "ok", Today, "§ 1"))));
        Assert.Equal("meetingDate", extra.Field);
        await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(director, new ApproveStepCommand(step.Id, "ok")));

        var committee = await h.HandleAsync<GetStepQuery, StepDetailDto>(async q => await q.HandleAsync(await h.ActorAsync(HsnCommittee), step.Id));
        Assert.Equal("HSN", committee.Step.Capabilities!.Approve.DecisionOf);
        Assert.Null(committee.Step.Capabilities.Return.DecisionOf);
    }

    [Fact]
    public async Task ConfirmingADecision_NeedsItsMeeting_AndKeepsDateAndParagraphOnTheStep_AMeetingDoesNot()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
        // The test region's kick-off is a meeting; as a decision (regionstyrelsen decides) it records its meeting.
        var kickoff = await StepAsync(h, "kickoff");
        Assert.Equal(StepState.Opened, kickoff.State);
        await h.DbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"StepInstances\" SET \"Kind\" = 'Decision' WHERE \"Key\" = 'kickoff'"));
        var rs = await h.ActorAsync(RsContributor);
        var before = await SnapshotAsync(h, kickoff.Id);

        var missing = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(rs, new ConfirmStepCommand(kickoff.Id, "hölls"))));
        Assert.Equal("meetingDate", missing.Field);
        var future = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(rs, new ConfirmStepCommand(kickoff.Id, "hölls", new DateOnly(2026, 5, 5), "§ 7"))));
        Assert.Equal("meetingDate", future.Field);
        Assert.Equal(before, await SnapshotAsync(h, kickoff.Id));

        var done = await h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(rs, new ConfirmStepCommand(kickoff.Id, null, new DateOnly(2026, 5, 4), "§ 7")));
        Assert.Equal(("Completed", new DateOnly(2026, 5, 4), "§ 7"), (done.State, done.MeetingDate, done.Paragraph));
        var entry = await h.DbAsync(db => db.Journal.SingleAsync(j => j.StepInstanceId == kickoff.Id && j.Action == "Confirmed"));
        Assert.Equal("Decided 2026-05-04, § 7", entry.Comment);
    }

    [Fact]
    public async Task TheBodysSecretary_ConfirmsItsDecision_WithDateAndParagraph_AnotherBodysSecretaryMayNot()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
        // As "Nämndplan beslutas" for HSN: a decision of Hälso- och sjukvårdsnämnden.
        var decision = await StepAsync(h, "kickoff");
        await h.DbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"StepInstances\" SET \"Kind\" = 'Decision', \"BodyId\" = 'HSN' WHERE \"Key\" = 'kickoff'"));
        var otherSecretary = await h.ActorAsync(RunCommittee);
        var secretary = await h.ActorAsync(HsnCommittee);

        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(otherSecretary, new ConfirmStepCommand(decision.Id, null, new DateOnly(2026, 5, 4), "§ 9"))));
        var view = await h.HandleAsync<GetStepQuery, StepDetailDto>(x => x.HandleAsync(secretary, decision.Id));
        Assert.True(view.Step.Capabilities!.Confirm.Allowed);
        Assert.Equal("HSN", view.Step.Capabilities.Confirm.DecisionOf);

        var done = await h.HandleAsync<ConfirmStepHandler, StepDto>(x => x.HandleAsync(secretary, new ConfirmStepCommand(decision.Id, null, new DateOnly(2026, 5, 4), "§ 9")));
        Assert.Equal(("Completed", new DateOnly(2026, 5, 4), "§ 9"), (done.State, done.MeetingDate, done.Paragraph));
        var entry = await h.DbAsync(db => db.Journal.SingleAsync(j => j.StepInstanceId == decision.Id && j.Action == "Confirmed"));
        Assert.Equal(HsnCommittee, entry.ActorUserId);
    }

    private static async Task<string> SnapshotAsync(EngineHarness h, Guid stepId) => await h.DbAsync(async db =>
    {
        var step = await db.StepInstances.AsNoTracking().SingleAsync(s => s.Id == stepId);
        var approvals = await db.Approvals.AsNoTracking().Where(a => a.StepInstanceId == stepId).OrderBy(a => a.Round).ThenBy(a => a.Order)
            .Select(a => a.State + ":" + a.MeetingDate + ":" + a.Paragraph).ToListAsync();
        return $"{step.State}@{step.Version} {step.MeetingDate}{step.Paragraph} [{string.Join(", ", approvals)}] journal {await db.Journal.CountAsync()} outbox {await db.OutboxMessages.CountAsync()}";
    });

    private static async Task<StepInstanceEntity> SubmittedAterkopplingAsync(EngineHarness h)
    {
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 7, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "aterkoppling/HSN");
        await SubmitAsync(h, step, HsnContributor);
        return step;
    }
}

public sealed class MeetingDecisionSqliteTests : MeetingDecisionTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => SqliteAsync();
}

public sealed class MeetingDecisionPostgreSqlTests : MeetingDecisionTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("meeting"));
}
