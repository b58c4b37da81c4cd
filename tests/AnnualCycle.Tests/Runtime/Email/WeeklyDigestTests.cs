using AnnualCycle.Data.Cycles;
using AnnualCycle.Data.Identity;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>A contributor who chose the weekly digest, beside a colleague of the same body who did not.</summary>
public sealed class WeeklyDigestTests : EmailTestBase
{
    [Fact]
    public async Task WeeklyDigestUser_GetsOneDigestPerWeek_InsteadOfSingleEmails_ButOverdueStaysImmediate()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await h.DbAsync(db => db.Users.Where(u => u.Id == HsnContributor).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailDelivery, EmailDelivery.WeeklyDigest)));
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 7, 0, 1, TimeSpan.Zero));
        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 20, 6, 0, 1, TimeSpan.Zero)); // återkoppling opens 08:00 CEST
        await DispatchAsync(h);

        var opened = (await OutboxAsync(h)).Where(r => r.Kind == EmailKind.StepOpened && r.StepInstanceId != null).ToList();
        var step = await StepAsync(h, "aterkoppling/HSN");
        Assert.Equal(OutboxState.Digested, opened.Single(r => r.RecipientUserId == HsnContributor && r.StepInstanceId == step.Id).State);
        Assert.Equal(OutboxState.Sent, opened.Single(r => r.RecipientUserId == HsnContributor2 && r.StepInstanceId == step.Id).State);
        Assert.DoesNotContain(server.ReceivedMessages(), m => To(m) == AddressOf(HsnContributor));

        // Monday 27 April 08:00 Stockholm; the job runs twice (a retry, a second instance): one digest.
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 27, 6, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await h.InScopeAsync(sp => sp.GetRequiredService<WeeklyDigestJob>().RecordDigestsAsync()));
        Assert.Equal(0, await h.InScopeAsync(sp => sp.GetRequiredService<WeeklyDigestJob>().RecordDigestsAsync()));
        await DispatchAsync(h);

        var digest = Assert.Single(server.ReceivedMessages(), m => To(m) == AddressOf(HsnContributor));
        Assert.Contains("sammanfattning", digest.Subject, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aterkoppling/HSN", digest.TextBody);
        Assert.Contains($"{BaseUrl}/steg/{step.Id:D}", digest.TextBody);
        Assert.Contains("5 juni 2026", digest.TextBody); // the due date, in Swedish
        Assert.DoesNotContain(server.ReceivedMessages(), m => To(m) == AddressOf(HsnContributor2) && (m.Subject ?? "").Contains("sammanfattning", StringComparison.OrdinalIgnoreCase));

        // The deadline passes: reminders are digested, the overdue notice goes at once.
        await AdvanceToAsync(h, new DateTimeOffset(2026, 6, 8, 6, 0, 1, TimeSpan.Zero));
        await DispatchAsync(h);
        var rows = (await OutboxAsync(h)).Where(r => r.RecipientUserId == HsnContributor && r.StepInstanceId == step.Id).ToList();
        Assert.All(rows.Where(r => r.Kind is EmailKind.Reminder or EmailKind.DueToday), r => Assert.Equal(OutboxState.Digested, r.State));
        // One notice, the next working day at 08:00 (none at the deadline itself).
        var overdue = rows.Where(r => r.Kind == EmailKind.Overdue).ToList();
        Assert.Single(overdue);
        Assert.All(overdue, r =>
        {
            Assert.Equal(OutboxState.Sent, r.State);
            Assert.Contains(server.ReceivedMessages(), m => m.MessageId == MessageIdOf(h, r.Id));
        });
    }

    [Fact]
    public void DigestDedupKey_IsPerUserAndIsoWeek()
    {
        Assert.Equal("digest:u1:2026-W18", WeeklyDigestJob.DedupKey("u1", new DateOnly(2026, 4, 27)));
        Assert.Equal("digest:u1:2026-W18", WeeklyDigestJob.DedupKey("u1", new DateOnly(2026, 5, 3)));
        Assert.Equal("digest:u1:2026-W53", WeeklyDigestJob.DedupKey("u1", new DateOnly(2027, 1, 1)));
    }
}
