using System.Text;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Calendar;
using AnnualCycle.Runtime.Calendar;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using AnnualCycle.Tests.Notifications;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Calendar;

/// <summary>
/// The subscription feed over the engine's real database (SQLite and PostgreSQL), the fake planner's cycle 2027
/// started on 2026-01-15: HSN and RUN each have återkoppling, nämndplan and two månadsrapporter, approved by the
/// förvaltningsdirektör of HSF/RUF (and the nämnd for the first two).
/// </summary>
public sealed class CalendarFeedTests
{
    private static readonly string[] HsnSteps = ["aterkoppling/HSN", "namndplan/HSN", "manadsrapport#1/HSN", "manadsrapport#2/HSN"];

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task UserFeed_HoldsTheDeadlinesTheyDoOrSignOff_AndTheirBodysMeetings_ButNotOtherBodies(string provider)
    {
        await using var h = await CalendarTestSupport.HarnessAsync(provider);
        await StartAsync(h);
        var keysById = await h.DbAsync(db => db.StepInstances.AsNoTracking().ToDictionaryAsync(s => DeadlineEvent.UidFor(s.Id.ToString("D")), s => s.Key));

        var contributor = await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsnContributor));
        var director = await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsfDirector));
        var deputyBefore = await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsfDeputy));
        await h.AddDeputyAsync(HsfDirector, HsfDeputy);
        var deputyAfter = await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsfDeputy));

        string[] Steps(Ical.Net.Calendar c) => c.Events.Where(e => e.Uid!.StartsWith("step-", StringComparison.Ordinal)).Select(e => keysById[e.Uid!]).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(HsnSteps.Order(StringComparer.Ordinal), Steps(contributor));
        // The förvaltningsdirektör signs off every HSN step; the deputy does once named, not before.
        Assert.Equal(HsnSteps.Order(StringComparer.Ordinal), Steps(director));
        Assert.Empty(deputyBefore.Events);
        Assert.Equal(HsnSteps.Order(StringComparer.Ordinal), Steps(deputyAfter));

        var meetings = contributor.Events.Where(e => e.Uid!.StartsWith("meeting-", StringComparison.Ordinal)).OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal(["Sammanträde: Hälso- och sjukvårdsnämnden", "Sammanträde: Hälso- och sjukvårdsnämnden"], meetings.Select(m => m.Summary));
        Assert.Equal(new DateTime(2027, 2, 10, 8, 0, 0, DateTimeKind.Utc), meetings[0].DtStart!.AsUtc); // 09:00 CET
        Assert.Equal(new DateTime(2027, 6, 9, 11, 0, 0, DateTimeKind.Utc), meetings[1].DtStart!.AsUtc); // 13:00 CEST
        Assert.DoesNotContain(contributor.Events, e => e.Summary!.Contains("Regionala utvecklingsnämnden", StringComparison.Ordinal));

        var step = contributor.Events.Single(e => keysById.GetValueOrDefault(e.Uid!) == "namndplan/HSN");
        Assert.Equal("Sista dag: namndplan/HSN – Hälso- och sjukvårdsnämnden (" + (await h.DbAsync(db => db.Cycles.SingleAsync())).Name + ")", step.Summary);
        var stepId = await h.DbAsync(db => db.StepInstances.Where(s => s.Key == "namndplan/HSN").Select(s => s.Id).SingleAsync());
        Assert.Equal(new Uri($"{CalendarTestSupport.BaseUrl}/steg/{stepId:D}"), step.Url);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task BodyFeed_HoldsAllTheBodysSteps_AndItsMeetings_Only(string provider)
    {
        await using var h = await CalendarTestSupport.HarnessAsync(provider);
        await StartAsync(h);

        var feed = await CalendarTestSupport.FeedAsync(h, CalendarOwner.Body(FakeCyclePlanner.OrganisationId, "RUN"));
        var missing = await CalendarTestSupport.WithFeedAsync(h, (f, _) => f.BuildAsync(CalendarOwner.Body(FakeCyclePlanner.OrganisationId, "NOPE")));

        Assert.Equal(4, feed.Events.Count(e => e.Uid!.StartsWith("step-", StringComparison.Ordinal)));
        Assert.All(feed.Events.Where(e => e.Uid!.StartsWith("step-", StringComparison.Ordinal)), e => Assert.Contains("Regionala utvecklingsnämnden", e.Summary, StringComparison.Ordinal));
        var meeting = Assert.Single(feed.Events, e => e.Uid!.StartsWith("meeting-", StringComparison.Ordinal));
        Assert.Equal("meeting-region-test-run-20270211@annualcycle", meeting.Uid);
        Assert.Null(missing);
    }

    // Moves across the daylight-saving changes of 2027 (Sunday 28 March CET → CEST, Sunday 31 October CEST → CET): the
    // deadline stays an all-day event on its date, with 23.59 local in the description. Each reschedule moves the
    // step's dates, so its DateVersion (the SEQUENCE) goes up by one and the UID stays.
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Reschedule_KeepsTheUid_BumpsTheSequence_AndTheDeadlineIsAllDayOnTheNewDate_AcrossDaylightSaving(string provider)
    {
        await using var h = await CalendarTestSupport.HarnessAsync(provider);
        await StartAsync(h);
        var po = await h.ActorAsync(ProcessOwner);
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        var uid = DeadlineEvent.UidFor(step.Id.ToString("D"));
        var before = Event(await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsnContributor)), uid);
        Assert.Equal(0, before.Sequence);
        Assert.True(before.IsAllDay);

        (string Date, string Swedish)[] moves = [("2027-03-27", "lördag 27 mars 2027"), ("2027-03-29", "måndag 29 mars 2027"), ("2027-10-30", "lördag 30 oktober 2027"), ("2027-11-01", "måndag 1 november 2027")];
        for (var i = 0; i < moves.Length; i++)
        {
            var due = DateOnly.Parse(moves[i].Date, System.Globalization.CultureInfo.InvariantCulture);
            await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, due, null)));

            var evt = Event(await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsnContributor)), uid);
            Assert.Equal(i + 1, evt.Sequence);
            Assert.True(evt.IsAllDay);
            Assert.Equal(due, evt.DtStart!.Date);
            Assert.Equal(due.AddDays(1), evt.DtEnd!.Date);
            Assert.StartsWith($"Sista dag: {moves[i].Swedish} kl. 23.59\n", evt.Description, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task SkippedStep_StaysInTheFeed_AsCancelled(string provider)
    {
        await using var h = await CalendarTestSupport.HarnessAsync(provider);
        await StartAsync(h);
        var po = await h.ActorAsync(ProcessOwner);
        var skipped = await StepAsync(h, "manadsrapport#2/HSN");
        await h.HandleAsync<SkipStepHandler, StepDto>(x => x.HandleAsync(po, new SkipStepCommand(skipped.Id, "slogs ihop")));

        var feed = await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsnContributor));

        Assert.Equal("CANCELLED", Event(feed, DeadlineEvent.UidFor(skipped.Id.ToString("D"))).Status);
        var other = await StepAsync(h, "manadsrapport#1/HSN");
        Assert.NotEqual("CANCELLED", Event(feed, DeadlineEvent.UidFor(other.Id.ToString("D"))).Status);
    }

    /// <summary>What the outbox dispatcher does for an email about a deadline, with the step as stored after a reschedule.</summary>
    [Fact]
    public async Task DeadlineEmail_CarriesTheSameEventAsTheFeed_UidSequenceAndInstants()
    {
        await using var h = await CalendarTestSupport.HarnessAsync("Sqlite");
        await StartAsync(h);
        var po = await h.ActorAsync(ProcessOwner);
        var step = await StepAsync(h, "namndplan/HSN");
        await h.HandleAsync<RescheduleStepHandler, RescheduleResultDto>(x => x.HandleAsync(po, new RescheduleStepCommand(step.Id, new DateOnly(2026, 12, 18), null)));
        step = await StepAsync(h, "namndplan/HSN");
        var cycle = await h.DbAsync(db => db.Cycles.AsNoTracking().SingleAsync());

        var deadline = StepDeadlineEvents.For(step, cycle, "Hälso- och sjukvårdsnämnden", CalendarTestSupport.BaseUrl);
        var message = TestEmails.Builder(h.Clock).Build(Guid.NewGuid(), new EmailRecipient("Anna", "anna@region.example"),
            new AnnualCycle.Notifications.Rendering.RenderedEmail("Påminnelse", "<p>html</p>", "text", []), deadline);
        var attachment = message.BodyParts.OfType<MimePart>().Single(p => p.ContentType.MimeType == "text/calendar");
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        var mailed = Assert.Single(Ical.Net.Calendar.Load(Encoding.UTF8.GetString(content.ToArray()))!.Events);
        var fed = Event(await CalendarTestSupport.FeedAsync(h, CalendarOwner.User(HsnContributor)), mailed.Uid!);

        Assert.Equal(DeadlineEvent.UidFor(step.Id.ToString("D")), mailed.Uid);
        Assert.Equal(1, mailed.Sequence);
        Assert.Equal(fed.Sequence, mailed.Sequence);
        Assert.True(mailed.IsAllDay);
        Assert.Equal(fed.DtStart!.Date, mailed.DtStart!.Date);
        Assert.Equal(new DateOnly(2026, 12, 18), mailed.DtStart.Date);
        Assert.Equal(fed.Description, mailed.Description);
        Assert.StartsWith("Sista dag: fredag 18 december 2026 kl. 23.59\n", mailed.Description, StringComparison.Ordinal);
        Assert.Equal(fed.Url, mailed.Url);
    }

    [Fact]
    public void EmailsAboutADeadline_AreTheOnesThatCarryTheEvent()
    {
        var carrying = Enum.GetValues<EmailKind>().Where(k => k.CarriesDeadlineEvent()).ToArray();

        Assert.Equal([EmailKind.StepOpened, EmailKind.Reminder, EmailKind.DueToday, EmailKind.Overdue, EmailKind.ApprovalRequested], carrying);
    }

    private static Ical.Net.CalendarComponents.CalendarEvent Event(Ical.Net.Calendar calendar, string uid) =>
        Assert.Single(calendar.Events, e => e.Uid == uid);

    private static async Task<CycleSummaryDto> StartAsync(EngineHarness h)
    {
        var po = await h.ActorAsync(ProcessOwner);
        return await h.HandleAsync<StartCycleHandler, CycleSummaryDto>(x => x.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027)));
    }

    private static Task<StepInstanceEntity> StepAsync(EngineHarness h, string key) =>
        h.DbAsync(db => db.StepInstances.AsNoTracking().SingleAsync(s => s.Key == key));
}
