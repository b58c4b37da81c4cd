using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>A cycle started after some open dates and reminder times have passed.</summary>
public sealed class LateStartEmailTests : EmailTestBase
{
    [Fact]
    public async Task LateStartedCycle_SendsOneStepOpenedPerAssignee_AndNoCatchUpReminders()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await h.AddDeputyAsync(EsContributor, HsfDeputy);
        // forutsattningar opened on 2 March and was to be reminded on 8 April; the cycle starts on 13 April.
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 13, 7, 0, 0, TimeSpan.Zero));
        await StartAsync(h);
        // The start committed notifications: the outbox was asked to run at once rather than at the next sweep.
        Assert.Equal(1, ((RecordingOutboxWakeup)h.Services.GetRequiredService<IOutboxWakeup>()).Count);
        await h.RunDueAsync();
        await h.RunDueAsync(); // a timer run twice changes nothing

        var summary = await DispatchAsync(h);

        var rows = await OutboxAsync(h);
        Assert.All(rows, r => Assert.Equal(EmailKind.StepOpened, r.Kind));
        Assert.Equal(2, summary.Sent);
        var received = server.WaitForMessages(2);
        Assert.Equal([AddressOf(EsContributor), AddressOf(HsfDeputy)], received.Select(To).Order());
        var step = await StepAsync(h, "forutsattningar");
        Assert.All(received, m => Assert.Contains($"{BaseUrl}/steg/{step.Id:D}", m.TextBody));

        // The due-day reminder still lies ahead and comes once, on its day.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 15, 6, 0, 1, TimeSpan.Zero));
        await DispatchAsync(h);
        var dueToday = (await OutboxAsync(h)).Where(r => r.Kind != EmailKind.StepOpened).ToList();
        Assert.Equal(2, dueToday.Count);
        Assert.All(dueToday, r => Assert.Equal(EmailKind.DueToday, r.Kind));
        Assert.Equal(4, server.WaitForMessages(4).Count);
    }

    [Fact]
    public async Task StepOpenedAfterItsDeadline_SaysTheDeadlineHasPassed_InSubjectAndText()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        // Cycle 2027 started on 2 December 2026: förutsättningar (15 April) opens eight months late.
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        await StartAsync(h);

        await DispatchAsync(h);

        var received = server.WaitForMessages(1);
        var late = Assert.Single(received, m => (m.Subject ?? "").Contains("forutsattningar", StringComparison.Ordinal));
        Assert.StartsWith("Att göra, sista dagen har redan passerat: ", late.Subject, StringComparison.Ordinal);
        Assert.Contains("passerade redan innan steget öppnades: steget är försenat med", late.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Det ska vara klart senast", late.TextBody, StringComparison.Ordinal);
        Assert.Contains("passerade redan innan steget öppnades", late.HtmlBody, StringComparison.Ordinal);
    }
}
