using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Queries;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>
/// What the engine's emails say once they reach a real SMTP server (aiosmtpd): who submitted, how late a step is, when
/// the overdue notice goes, and what "Påminn nu" says about a step that is already late. The test plan's
/// "forutsattningar" of Ekonomistaben is due Wednesday 15 April 2026 at 23:59; "aterkoppling/HSN" Friday 5 June 2026.
/// </summary>
public sealed class EmailWordingTests : EmailTestBase
{
    private static readonly DateTimeOffset ForutsattningarOpens = new(2026, 3, 2, 7, 0, 1, TimeSpan.Zero);

    [Fact]
    public async Task ApprovalRequest_NamesWhoSubmitted_AndQuotesTheirComment_AlsoForTheSecondApprover()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await NameAsync(h, HsnContributor, "Hanna Handläggare");
        await NameAsync(h, HsfDirector, "Dora Direktör");
        await StartAsync(h);
        await AdvanceToAsync(h, ForutsattningarOpens);
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 6, 0, 1, TimeSpan.Zero));
        var step = await StepAsync(h, "aterkoppling/HSN");

        await SubmitAsync(h, step);
        await DispatchAsync(h);
        var toDirector = Single(server, HsfDirector, "Att godkänna:");
        Assert.Equal("Att godkänna: aterkoppling/HSN – Hälso- och sjukvårdsnämnden (2027)", toDirector.Subject);
        Assert.Equal(
            "Hanna Handläggare har lämnat in steget ”aterkoppling/HSN” för Hälso- och sjukvårdsnämnden, och det väntar nu på ditt godkännande. Steget ska vara klart senast fredag 5 juni 2026 kl. 23.59.",
            Sentence(toDirector));
        Assert.Contains("Kommentar från Hanna Handläggare:\nklart\n", Text(toDirector));
        Assert.Contains("Process: Testcykel 2027\n", Text(toDirector));

        await ApproveCurrentAsync(h, step.Id);
        await DispatchAsync(h);
        var toCommittee = Single(server, HsnCommittee, "Att godkänna:");
        Assert.StartsWith("Hanna Handläggare har lämnat in steget ”aterkoppling/HSN”", Sentence(toCommittee));
    }

    [Fact]
    public async Task Overdue_GoesOnce_At0800TheNextWorkingDay_NotAtTheDeadline_AndSaysHowLate_AsDoesTheEscalation()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        await AdvanceToAsync(h, ForutsattningarOpens);
        var step = await StepAsync(h, "forutsattningar");

        // Wednesday 15 April 23:59 (CEST) has passed: nothing yet, nobody is told at midnight.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 15, 21, 59, 30, TimeSpan.Zero));
        await DispatchAsync(h);
        Assert.DoesNotContain(await OutboxAsync(h), r => r.Kind is EmailKind.Overdue or EmailKind.Escalation);

        // Thursday 16 April 08:00: the one overdue notice.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 16, 6, 0, 1, TimeSpan.Zero));
        await DispatchAsync(h);
        var overdue = Assert.Single(await OutboxAsync(h), r => r.Kind == EmailKind.Overdue);
        Assert.Equal(EsContributor, overdue.RecipientUserId);
        Assert.Equal(new DateTime(2026, 4, 16, 6, 0, 1, DateTimeKind.Utc), overdue.CreatedAtUtc);
        var notice = Single(server, EsContributor, "Försenat:");
        Assert.Equal("Försenat: forutsattningar – Ekonomistaben (2027)", notice.Subject);
        Assert.Equal(
            "Sista dag för steget ”forutsattningar” för Ekonomistaben var onsdag 15 april 2026 kl. 23.59. Steget är nu försenat med 1 arbetsdag. Se till att det blir klart så snart som möjligt.",
            Sentence(notice));

        // Monday 20 April 08:00: Ekonomistaben has no förvaltningsdirektör, so the process owner hears of it.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 6, 0, 1, TimeSpan.Zero));
        await DispatchAsync(h);
        var escalation = Single(server, ProcessOwner, "Eskalering:");
        Assert.Equal("Eskalering: forutsattningar – Ekonomistaben (2027), 3 arbetsdagar (5 dagar) efter sista dag", escalation.Subject);
        Assert.Equal(
            "Sista dag för steget ”forutsattningar” för Ekonomistaben var onsdag 15 april 2026 kl. 23.59, och steget är ännu inte klart. Det är försenat med 3 arbetsdagar (5 dagar). Du får det här meddelandet för att kunna följa upp med Ekonomistaben.",
            Sentence(escalation));
        Assert.Single(await OutboxAsync(h), r => r.Kind == EmailKind.Overdue && r.StepInstanceId == step.Id);
    }

    [Fact]
    public async Task RemindNow_OnTheDueDay_SaysItIsTheLastDay_AndOnALateStep_SaysHowLate()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        await AdvanceToAsync(h, ForutsattningarOpens);
        var step = await StepAsync(h, "forutsattningar");
        var po = await h.ActorAsync(ProcessOwner);

        // Wednesday 15 April, 10:00: the due day.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 15, 8, 0, 0, TimeSpan.Zero));
        await DispatchAsync(h);
        var sent = server.ReceivedMessages().Count;
        await h.HandleAsync<RemindNowHandler, StepDto>(x => x.HandleAsync(po, new RemindNowCommand(step.Id)));
        await DispatchAsync(h);
        var dueToday = server.WaitForMessages(sent + 1).Skip(sent).Single();
        Assert.Equal("Sista dag i dag: forutsattningar – Ekonomistaben (2027)", dueToday.Subject);
        Assert.Equal(
            "I dag är sista dagen för steget ”forutsattningar” för Ekonomistaben: det ska vara klart senast onsdag 15 april 2026 kl. 23.59.",
            Sentence(dueToday));

        // Wednesday 22 April, 10:00: five working days late.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 22, 8, 0, 0, TimeSpan.Zero));
        await DispatchAsync(h);
        var before = server.ReceivedMessages().Count;
        await h.HandleAsync<RemindNowHandler, StepDto>(x => x.HandleAsync(po, new RemindNowCommand(step.Id)));
        await DispatchAsync(h);
        var late = server.WaitForMessages(before + 1).Skip(before).Single();
        Assert.Equal(AddressOf(EsContributor), To(late));
        Assert.Equal("Försenat: forutsattningar – Ekonomistaben (2027)", late.Subject);
        Assert.Equal(
            "Sista dag för steget ”forutsattningar” för Ekonomistaben var onsdag 15 april 2026 kl. 23.59. Steget är nu försenat med 5 arbetsdagar (7 dagar). Se till att det blir klart så snart som möjligt.",
            Sentence(late));
        Assert.DoesNotContain("kvar", late.Subject + late.TextBody);
        Assert.DoesNotContain("−", late.Subject + late.TextBody);
    }

    private static Task NameAsync(EngineHarness h, string userId, string name) =>
        h.DbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, name)));

    private static MimeMessage Single(SmtpServerFixture server, string userId, string subjectStart) =>
        Assert.Single(server.ReceivedMessages(), m => To(m) == AddressOf(userId) && (m.Subject ?? "").StartsWith(subjectStart, StringComparison.Ordinal));

    private static string Text(MimeMessage message) => (message.TextBody ?? "").ReplaceLineEndings("\n");

    /// <summary>The opening sentence: the third line, after "Hej …," and a blank line.</summary>
    private static string Sentence(MimeMessage message) => Text(message).Split('\n')[2];
}
