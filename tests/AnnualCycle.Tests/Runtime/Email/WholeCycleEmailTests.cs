using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Calendar;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Rendering;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>
/// A whole cycle compressed into seconds: the fake clock walks from the start through every timer, each step is
/// finished at noon of its due day (after the due-day reminder, before the overdue notice), and after every move the
/// timer dispatcher and the outbox dispatcher run. What arrives at the real SMTP server is read back.
/// </summary>
public sealed class WholeCycleEmailTests : EmailTestBase
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task WholeCycle_EveryReminderArrivesOnce_WithTheRightRecipientsDatesAndLinks(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        await DispatchAsync(h);

        await WalkTheCycleAsync(h);

        var rows = await OutboxAsync(h);
        Assert.All(rows, r => Assert.Equal(OutboxState.Sent, r.State));
        var received = server.WaitForMessages(rows.Count);
        Assert.Equal(rows.Count, received.Count);
        Assert.Equal(rows.Count, received.Select(m => m.MessageId).Distinct().Count());
        var byMessageId = received.ToDictionary(m => m.MessageId ?? "");
        var steps = await h.DbAsync(db => db.StepInstances.AsNoTracking().ToDictionaryAsync(s => s.Id));

        var reminders = rows.Where(r => r.Kind is EmailKind.Reminder or EmailKind.DueToday).ToList();
        // Seven task steps with contributors (forutsattningar; återkoppling, nämndplan and two månadsrapporter for HSN
        // and RUN), each reminded 5 working days before and on the due day; HSN has two contributors.
        var expectedReminders = steps.Values.Where(s => s.Kind == AnnualCycle.Domain.Planning.StepKind.Task).Sum(s => ContributorsOf[s.BodyId].Length * 2);
        Assert.Equal(expectedReminders, reminders.Count);
        Assert.Equal(reminders.Count / 2, reminders.Count(r => r.Kind == EmailKind.DueToday));
        foreach (var row in reminders)
        {
            var step = steps[row.StepInstanceId!.Value];
            var message = byMessageId[MessageIdOf(h, row.Id)];
            Assert.Equal(AddressOf(row.RecipientUserId), To(message));
            Assert.Contains(ContributorsOf[step.BodyId], u => u == row.RecipientUserId);
            var text = message.TextBody ?? "";
            Assert.Contains($"{BaseUrl}/steg/{step.Id:D}", text);
            Assert.Contains($"{BaseUrl}/steg/{step.Id:D}", message.HtmlBody ?? "");
            Assert.Contains(DeadlineText.Format(new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero), EmailLanguage.Swedish, StockholmTime.Default), text);
            Assert.Contains(step.Title, message.Subject + text);
            // The reminder was sent when it was due: the day it was recorded is its day.
            var sentLocal = StockholmTime.Default.LocalDate(new DateTimeOffset(row.SentAtUtc!.Value, TimeSpan.Zero));
            var dueLocal = StockholmTime.Default.LocalDate(new DateTimeOffset(step.DueAtUtc, TimeSpan.Zero));
            if (row.Kind == EmailKind.DueToday)
            {
                Assert.Equal(dueLocal, sentLocal);
            }
            else
            {
                Assert.Equal(SwedishCalendar.AddWorkingDays(dueLocal, -5), sentLocal);
            }
        }

        // Nothing was late, so nobody was told it was overdue or escalated.
        Assert.DoesNotContain(rows, r => r.Kind is EmailKind.Overdue or EmailKind.Escalation);
        Assert.All(steps.Values, s => Assert.Equal(StepState.Completed, s.State));
    }

    /// <summary>Moves the clock to each next event (a timer, or noon of an open step's due day) until the cycle is done.</summary>
    private static async Task WalkTheCycleAsync(EngineHarness h)
    {
        for (var guard = 0; guard < 500; guard++)
        {
            var now = h.Clock.GetUtcNow().UtcDateTime;
            var nextTimer = await h.DbAsync(db => db.Timers.AsNoTracking().Where(t => t.State == TimerState.Pending).OrderBy(t => t.DueAtUtc).Select(t => (DateTime?)t.DueAtUtc).FirstOrDefaultAsync());
            var open = await h.DbAsync(db => db.StepInstances.AsNoTracking().Where(s => s.State == StepState.Opened).ToListAsync());
            var nextFinish = open.Select(FinishAt).Order().Cast<DateTime?>().FirstOrDefault();
            if (nextTimer is null && nextFinish is null)
            {
                return;
            }

            if (nextFinish is not null && (nextTimer is null || nextFinish <= nextTimer))
            {
                if (nextFinish > now)
                {
                    h.Clock.SetUtcNow(new DateTimeOffset(nextFinish.Value, TimeSpan.Zero));
                }

                foreach (var step in open.Where(s => FinishAt(s) <= h.Clock.GetUtcNow().UtcDateTime))
                {
                    await CompleteAsync(h, step);
                }
            }
            else
            {
                h.Clock.SetUtcNow(new DateTimeOffset(nextTimer!.Value, TimeSpan.Zero).AddSeconds(1));
            }

            await h.RunDueAsync();
            await DispatchAsync(h);
        }

        Assert.Fail("The cycle did not finish within 500 moves of the clock.");
    }

    // 12:59 Stockholm on the due day: after the 08:00 due-day reminder, before the deadline at 23:59.
    private static DateTime FinishAt(StepInstanceEntity step) => step.DueAtUtc.AddHours(-11);
}
