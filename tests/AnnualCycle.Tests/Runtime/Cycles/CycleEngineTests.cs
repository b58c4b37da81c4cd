using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Domain.Errors;
using AnnualCycle.Domain.People;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Runtime.Cycles;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Journal;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>The engine end to end on a real database, driven by a fake clock. Runs on SQLite and on PostgreSQL.</summary>
public abstract class CycleEngineTests : EngineTestBase
{
    private const string Undone = "manadsrapport#2/RUN";

    [Fact]
    public async Task WholeCycle_RunsThroughTheYear_OnceEach_AndOnlyTheUndoneStepIsChased()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);

        for (var i = 0; i < 2000; i++)
        {
            var next = await h.DbAsync(db => db.Timers.Where(t => t.State == TimerState.Pending).OrderBy(t => t.DueAtUtc).Select(t => (DateTime?)t.DueAtUtc).FirstOrDefaultAsync());
            if (next is null)
            {
                break;
            }

            await AdvanceToAsync(h, new DateTimeOffset(next.Value, TimeSpan.Zero));
            var outboxBefore = await h.DbAsync(db => db.OutboxMessages.CountAsync());
            Assert.Equal(0, await h.RunDueAsync()); // firing again at the same instant does nothing
            Assert.Equal(outboxBefore, await h.DbAsync(db => db.OutboxMessages.CountAsync()));

            // People do each step's work once its last reminder has gone out (or at once when it has none).
            var ready = await h.DbAsync(db => db.StepInstances.AsNoTracking()
                .Where(s => s.State == StepState.Opened && s.Key != Undone
                    && !db.Timers.Any(t => t.StepInstanceId == s.Id && t.Kind == TimerKind.Reminder && t.State == TimerState.Pending))
                .ToListAsync());
            foreach (var step in ready)
            {
                await CompleteAsync(h, step);
            }
        }

        var steps = await h.DbAsync(db => db.StepInstances.AsNoTracking().ToListAsync());
        Assert.Equal(10, steps.Count);
        Assert.All(steps, s => Assert.NotNull(s.OpenedAtUtc));
        Assert.All(steps.Where(s => s.Key != Undone), s => Assert.Equal(StepState.Completed, s.State));
        var undone = steps.Single(s => s.Key == Undone);
        Assert.Equal(StepState.Opened, undone.State);
        Assert.True(StepTransitions.IsOverdue(undone.State, undone.DueAtUtc, h.Clock.GetUtcNow().UtcDateTime));

        var outbox = await h.DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        Assert.Equal(outbox.Count, outbox.Select(o => o.DedupKey).Distinct().Count());
        foreach (var step in steps.Where(s => s.Kind == StepKind.Task))
        {
            // Two reminders per task (5 working days before, and on the due day), once to each contributor.
            var reminders = outbox.Where(o => o.StepInstanceId == step.Id && o.Kind is EmailKind.Reminder or EmailKind.DueToday).ToList();
            Assert.Equal(2 * ContributorsOf[step.BodyId].Length, reminders.Count);
            Assert.Equal(ContributorsOf[step.BodyId].Length, reminders.Count(r => r.Kind == EmailKind.DueToday));
        }

        var chased = outbox.Where(o => o.Kind is EmailKind.Overdue or EmailKind.Escalation).ToList();
        Assert.All(chased, o => Assert.Equal(undone.Id, o.StepInstanceId));
        // One overdue notice, at 08:00 the working day after due; none at the deadline itself.
        var overdue = Assert.Single(chased, o => o.Kind == EmailKind.Overdue);
        Assert.Equal(StockholmTime.Default.ToInstant(SwedishCalendar.AddWorkingDays(StockholmTime.Default.LocalDate(new DateTimeOffset(undone.DueAtUtc, TimeSpan.Zero)), 1), new TimeOnly(8, 0)).UtcDateTime, overdue.CreatedAtUtc);
        Assert.Equal([RufDirector, ProcessOwner], chased.Where(o => o.Kind == EmailKind.Escalation).OrderBy(o => o.CreatedAtUtc).Select(o => o.RecipientUserId));
        Assert.Contains(outbox, o => o.Kind == EmailKind.ApprovalRequested && o.RecipientUserId == HsnCommittee);
        Assert.Contains(outbox, o => o.Kind == EmailKind.Completed);
        Assert.Contains(outbox, o => o.Kind == EmailKind.StepOpened);

        Assert.Equal(CycleStatus.Running, (await h.DbAsync(db => db.Cycles.SingleAsync())).Status);
        var po = await h.ActorAsync(ProcessOwner);
        await h.HandleAsync<SkipStepHandler, StepDto>(x => x.HandleAsync(po, new SkipStepCommand(undone.Id, "slogs ihop med nästa rapport")));
        Assert.Equal(CycleStatus.Completed, (await h.DbAsync(db => db.Cycles.SingleAsync())).Status);

        var verification = await h.DbAsync(db => JournalVerifier.VerifyAsync(db));
        Assert.True(verification.Ok, verification.Message);
    }

    [Fact]
    public async Task StartCycle_Twice_Answers409()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await Assert.ThrowsAsync<ConflictException>(() => StartAsync(h));
        Assert.Equal(1, await h.DbAsync(db => db.Cycles.CountAsync()));
    }

    [Fact]
    public async Task StartCycle_ByAnAdministrator_IsForbidden_AndABadYearNamesTheField()
    {
        await using var h = await CreateHarnessAsync();
        var admin = await h.ActorAsync(Admin);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x =>
            x.HandleAsync(admin, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027))));
        var po = await h.ActorAsync(ProcessOwner);
        var error = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x =>
            x.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 1999))));
        Assert.Equal("year", error.Field);
    }

    [Fact]
    public async Task StartCycle_Late_OpensWhatIsDue_AndRecordsNoCatchUpReminders()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        await StartAsync(h);

        var forutsattningar = await StepAsync(h, "forutsattningar");
        Assert.Equal(StepState.Opened, forutsattningar.State);
        Assert.Equal(StepState.Planned, (await StepAsync(h, "kickoff")).State); // waits for forutsattningar
        Assert.Equal(0, await h.DbAsync(db => db.Timers.CountAsync(t => t.DueAtUtc <= new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc))));
        Assert.Equal(0, await h.DbAsync(db => db.OutboxMessages.CountAsync(o => o.Kind == EmailKind.Reminder || o.Kind == EmailKind.DueToday)));

        await CompleteAsync(h, forutsattningar);
        Assert.Equal(StepState.Opened, (await StepAsync(h, "aterkoppling/HSN")).State); // opened by the completion: its time has passed
        Assert.Equal(StepState.Planned, (await StepAsync(h, "kickoff")).State); // its time has not
        await AdvanceToAsync(h, new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(StepState.Opened, (await StepAsync(h, "kickoff")).State);
    }

    [Fact]
    public async Task Return_NeedsAComment_StoresReturned_AndTheNextSubmissionStartsAFreshRound()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 7, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "aterkoppling/HSN");
        Assert.Equal(StepState.Opened, step.State);
        await SubmitAsync(h, step);

        var director = await h.ActorAsync(HsfDirector);
        var missing = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ReturnStepHandler, StepDto>(x => x.HandleAsync(director, new ReturnStepCommand(step.Id, " "))));
        Assert.Equal("comment", missing.Field);
        var returned = await h.HandleAsync<ReturnStepHandler, StepDto>(x => x.HandleAsync(director, new ReturnStepCommand(step.Id, "Saknar ekonomiavsnittet")));
        Assert.Equal("Returned", returned.State);
        Assert.Equal(1, returned.ReturnCount);
        var tasks = await h.HandleAsync<MyTasksQuery, IReadOnlyList<MyTaskDto>>(async q => await q.HandleAsync(await h.ActorAsync(HsnContributor2)));
        Assert.Equal("submit", Assert.Single(tasks, t => t.Step.Id == step.Id).Action); // to do again, for every contributor of the body

        await SubmitAsync(h, step, HsnContributor2);
        var detail = await h.HandleAsync<GetStepQuery, StepDetailDto>(async q => await q.HandleAsync(await h.ActorAsync(ProcessOwner), step.Id));
        Assert.Equal(["Returned", "Pending", "Pending", "Pending"], detail.Approvals.Select(a => a.State));
        Assert.Contains(detail.Journal, j => j.Action == "Returned" && j.FromState == "Submitted" && j.ToState == "Returned" && j.Comment == "Saknar ekonomiavsnittet");
        Assert.DoesNotContain(detail.Journal, j => j.Action == "Reopened");
        Assert.Contains(detail.Journal, j => j.Action == "Submitted" && j.FromState == "Returned" && j.ToState == "Submitted");
        var outbox = await h.DbAsync(db => db.OutboxMessages.Where(o => o.Kind == EmailKind.Returned).ToListAsync());
        Assert.Equal([HsnContributor, HsnContributor2], outbox.Select(o => o.RecipientUserId).Order());
        Assert.All(outbox, o => Assert.Contains("Saknar ekonomiavsnittet", o.PayloadJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReturnedStep_IsStillRemindedAndChased_UntilSubmittedAgain()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 7, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "aterkoppling/HSN");
        await SubmitAsync(h, step);
        await h.HandleAsync<ReturnStepHandler, StepDto>(async x => await x.HandleAsync(await h.ActorAsync(HsfDirector), new ReturnStepCommand(step.Id, "komplettera")));

        await AdvanceToAsync(h, new DateTimeOffset(2026, 6, 5, 8, 0, 0, TimeSpan.Zero));
        var dueToday = await h.DbAsync(db => db.OutboxMessages.Where(o => o.StepInstanceId == step.Id && o.Kind == EmailKind.DueToday).Select(o => o.RecipientUserId).ToListAsync());
        Assert.Equal([HsnContributor, HsnContributor2], dueToday.Order());
        var po = await h.ActorAsync(ProcessOwner);
        await h.HandleAsync<RemindNowHandler, StepDto>(x => x.HandleAsync(po, new RemindNowCommand(step.Id)));
        Assert.Equal(StepState.Returned, (await StepAsync(h, step.Key)).State);
    }

    [Fact]
    public async Task Submit_OfAMeeting_IsRefused_AndNothingChanges()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
        var meeting = await StepAsync(h, "kickoff");
        Assert.Equal(StepState.Opened, meeting.State);
        var journal = await h.DbAsync(db => db.Journal.CountAsync());

        var error = await Assert.ThrowsAsync<IllegalTransitionException>(() => SubmitAsync(h, meeting, RsContributor));
        Assert.Contains("a Meeting is confirmed, not submitted", error.Message, StringComparison.Ordinal);
        Assert.Equal(StepState.Opened, (await StepAsync(h, "kickoff")).State);
        Assert.Equal(journal, await h.DbAsync(db => db.Journal.CountAsync()));
    }

    [Fact]
    public async Task CommentsAndReasons_LongerThan4000Characters_AreRefused_NamingTheField()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        var po = await h.ActorAsync(ProcessOwner);
        var contributor = await h.ActorAsync(HsnContributor);
        var tooLong = new string('x', 4001);

        Assert.Equal("reason", (await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<SkipStepHandler, StepDto>(x => x.HandleAsync(po, new SkipStepCommand(step.Id, tooLong))))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<CancelStepHandler, StepDto>(x => x.HandleAsync(po, new CancelStepCommand(step.Id, tooLong))))).Field);
        Assert.Equal("comment", (await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, null, tooLong))))).Field);
        await h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(contributor, new SubmitStepCommand(step.Id, null, new string('x', 4000))));
        var director = await h.ActorAsync(HsfDirector);
        Assert.Equal("comment", (await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(director, new ApproveStepCommand(step.Id, tooLong))))).Field);
        Assert.Equal("comment", (await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<ReturnStepHandler, StepDto>(x => x.HandleAsync(director, new ReturnStepCommand(step.Id, tooLong))))).Field);
        Assert.Equal(StepState.Submitted, (await StepAsync(h, step.Key)).State);
    }

    [Fact]
    public async Task Approve_ByADeputy_RecordsThePrincipal_AndTheSubmitterMayNotApprove()
    {
        await using var h = await CreateHarnessAsync();
        await h.AddDeputyAsync(HsfDirector, HsfDeputy);
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        await SubmitAsync(h, step);

        var submitter = await h.ActorAsync(HsnContributor);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(submitter, new ApproveStepCommand(step.Id, null))));
        var tasks = await h.HandleAsync<MyTasksQuery, IReadOnlyList<MyTaskDto>>(async q => await q.HandleAsync(await h.ActorAsync(HsfDeputy)));
        var task = Assert.Single(tasks, t => t.Step.Id == step.Id);
        Assert.Equal(("approve", HsfDirector), (task.Action, task.OnBehalfOfUserId));

        var deputy = await h.ActorAsync(HsfDeputy);
        var done = await h.HandleAsync<ApproveStepHandler, StepDto>(x => x.HandleAsync(deputy, new ApproveStepCommand(step.Id, "för direktören")));
        Assert.Equal("Completed", done.State);
        var entry = await h.DbAsync(db => db.Journal.SingleAsync(j => j.StepInstanceId == step.Id && j.Action == "Approved"));
        Assert.Equal((HsfDeputy, HsfDirector), (entry.ActorUserId, entry.OnBehalfOfUserId));
    }

    [Fact]
    public async Task Reschedule_MovesDependantsAndTheirTimers_AndReturnsTheMovedDates()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var step = await StepAsync(h, "aterkoppling/HSN");
        var dependant = await StepAsync(h, "namndplan/HSN");
        var oldOverdueTimer = await h.DbAsync(db => db.Timers.SingleAsync(t => t.StepInstanceId == dependant.Id && t.Kind == TimerKind.Overdue));

        var contributor = await h.ActorAsync(HsnContributor);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(contributor, new RescheduleStepCommand(step.Id, new DateOnly(2026, 6, 15), null))));
        var po = await h.ActorAsync(ProcessOwner);
        var result = await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, new DateOnly(2026, 6, 15), null)));

        Assert.Equal(
            [("aterkoppling/HSN", "due"), ("namndplan/HSN", "due"), ("namndplan/HSN", "opens")],
            result.Moved.Select(m => (m.Key, m.Field)).OrderBy(m => m.Key).ThenBy(m => m.Field));
        Assert.All(result.Moved, m => Assert.Equal(TimeSpan.FromDays(10), m.NewUtc - m.OldUtc));
        var moved = await StepAsync(h, "namndplan/HSN");
        Assert.Equal(dependant.DueAtUtc.AddDays(10), moved.DueAtUtc);
        Assert.Equal(1, moved.DateVersion);
        Assert.Null(await h.DbAsync(db => db.Timers.SingleOrDefaultAsync(t => t.Id == oldOverdueTimer.Id))); // superseded: deleted, not kept
        var newOverdue = await h.DbAsync(db => db.Timers.SingleAsync(t => t.StepInstanceId == dependant.Id && t.Kind == TimerKind.Overdue && t.State == TimerState.Pending));
        Assert.Equal(oldOverdueTimer.DueAtUtc.AddDays(10), newOverdue.DueAtUtc);
        Assert.Equal(StepState.Planned, (await StepAsync(h, "namndplan/RUN")).State);
        Assert.Equal(0, (await StepAsync(h, "namndplan/RUN")).DateVersion);

        var dueMissing = await Assert.ThrowsAsync<InputException>(() => h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, null, null))));
        Assert.Equal("due", dueMissing.Field);
    }

    [Fact]
    public async Task Reschedule_IsRefused_WhenTheLoadedDefinitionIsNotTheVersionTheCycleIsPinnedTo()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        var step = await StepAsync(h, "aterkoppling/HSN");
        await h.DbAsync(db => db.Cycles.ExecuteUpdateAsync(s => s.SetProperty(c => c.WorkflowVersion, 2)));
        var po = await h.ActorAsync(ProcessOwner);

        var error = await Assert.ThrowsAsync<ConflictException>(() => h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x =>
            x.HandleAsync(po, new RescheduleStepCommand(step.Id, new DateOnly(2026, 6, 15), null))));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(step.DueAtUtc, (await StepAsync(h, step.Key)).DueAtUtc);
    }

    [Fact]
    public async Task Journal_TamperedOrDeletedEntry_IsNamed_AndAFailedCommandWritesNothing()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "forutsattningar");
        var count = await h.DbAsync(db => db.Journal.CountAsync());

        var stranger = await h.ActorAsync(RunContributor);
        await Assert.ThrowsAsync<ForbiddenActionException>(() => h.HandleAsync<SubmitStepHandler, StepDto>(x => x.HandleAsync(stranger, new SubmitStepCommand(step.Id, null, null))));
        await SubmitAsync(h, step);
        await Assert.ThrowsAsync<IllegalTransitionException>(() => SubmitAsync(h, step));
        Assert.Equal(count + 2, await h.DbAsync(db => db.Journal.CountAsync())); // Submitted and Completed; the failed commands wrote nothing
        Assert.Equal(0, await VerifyAsync(h));

        await h.DbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE \"Journal\" SET \"Comment\" = 'ändrad' WHERE \"Sequence\" = 2"));
        var output = new StringWriter();
        Assert.Equal(1, await VerifyJournalCommand.RunAsync(h.Services, output));
        Assert.Contains("entry 2 ", output.ToString(), StringComparison.Ordinal);

        await h.DbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM \"Journal\" WHERE \"Sequence\" <= 2"));
        var afterDelete = await h.DbAsync(db => JournalVerifier.VerifyAsync(db));
        Assert.Equal(1, afterDelete.FirstBrokenSequence);
    }

    [Fact]
    public async Task DatabaseConstraint_RefusesADecisionByTheSubmitter()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        await SubmitAsync(h, await StepAsync(h, "manadsrapport#1/HSN"));

        await Assert.ThrowsAnyAsync<Exception>(() => h.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Approvals\" SET \"DecidedByUserId\" = \"SubmittedByUserId\" WHERE \"SubmittedByUserId\" IS NOT NULL")));
        await Assert.ThrowsAnyAsync<Exception>(() => h.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Approvals\" SET \"DecidedByUserId\" = 'u-hsf-deputy', \"OnBehalfOfUserId\" = \"SubmittedByUserId\" WHERE \"SubmittedByUserId\" IS NOT NULL")));
        Assert.Equal(1, await h.DbAsync(db => db.Database.ExecuteSqlRawAsync(
            "UPDATE \"Approvals\" SET \"DecidedByUserId\" = 'u-hsf-dir' WHERE \"SubmittedByUserId\" IS NOT NULL")));
    }

    [Fact]
    public async Task RemindNow_RecordsOneReminderPerContributorAndDay_OnlyForAnOpenStep_ByTheProcessOwner()
    {
        await using var h = await CreateHarnessAsync();
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        var po = await h.ActorAsync(ProcessOwner);
        Task<StepDto> RemindAsync(Actor actor) => h.HandleAsync<RemindNowHandler, StepDto>(x => x.HandleAsync(actor, new RemindNowCommand(step.Id)));
        Task<int> CountAsync() => h.DbAsync(db => db.OutboxMessages.CountAsync(o => o.StepInstanceId == step.Id && o.DedupKey.StartsWith("remind-now:")));

        await Assert.ThrowsAsync<ForbiddenActionException>(async () => await RemindAsync(await h.ActorAsync(HsnContributor)));
        await RemindAsync(po);
        await RemindAsync(po);
        Assert.Equal(2, await CountAsync()); // two HSN contributors, once each today
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 2, 9, 0, 0, TimeSpan.Zero));
        await RemindAsync(po);
        Assert.Equal(4, await CountAsync());

        await SubmitAsync(h, step);
        await Assert.ThrowsAsync<IllegalTransitionException>(() => RemindAsync(po));
    }

    private static Task<int> VerifyAsync(EngineHarness h) => VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null);
}

public sealed class CycleEngineSqliteTests : CycleEngineTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class CycleEnginePostgreSqlTests : CycleEngineTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("engine"));
}
