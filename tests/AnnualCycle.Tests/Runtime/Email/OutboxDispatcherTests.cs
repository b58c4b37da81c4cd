using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>The outbox dispatcher against a real SMTP server (aiosmtpd), reading what arrived back from its maildir.</summary>
public sealed class OutboxDispatcherTests : EmailTestBase
{
    [Fact]
    public async Task Dispatch_SendsEveryRowOnce_OverOneConnectionForTheWholeRun_AndMarksThemSent()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 250, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(250, summary.Sent);
        var received = server.WaitForMessages(250);
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), received.Select(m => m.MessageId).Order());
        Assert.All(received, m => Assert.Equal(AddressOf(EsContributor), To(m)));
        // 250 rows are two batches (200 + 50), sent over one connection kept for the whole run.
        Assert.Equal(1, server.ConnectionCount);
        var rows = await OutboxAsync(h);
        Assert.All(rows.Where(r => ids.Contains(r.Id)), r =>
        {
            Assert.Equal(OutboxState.Sent, r.State);
            Assert.Equal(1, r.Attempts);
            Assert.NotNull(r.SentAtUtc);
            Assert.Null(r.ClaimToken);
        });

        var again = await DispatchAsync(h);
        Assert.Equal(0, again.Claimed);
        Assert.Equal(250, server.ReceivedMessages().Count);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task ServerStoppedForAWhile_ThenStarted_EverythingRecordedMeanwhileArrives_NothingTwice(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        var before = await RecordRowsAsync(h, 3, EsContributor);
        await DispatchAsync(h);
        server.Stop();

        var during = await RecordRowsAsync(h, 10, HsnContributor);
        var failed = await DispatchAsync(h);
        Assert.Equal(10, failed.Retrying);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var during2 = await RecordRowsAsync(h, 5, RunContributor);
        await DispatchAsync(h);
        var retrying = (await OutboxAsync(h)).Where(r => r.State == OutboxState.Retrying).ToList();
        Assert.Equal(15, retrying.Count);
        Assert.All(retrying, r => Assert.True(r.NextAttemptAtUtc > h.Clock.GetUtcNow().UtcDateTime));

        server.Start();
        // Not before their time: nothing is due yet, so nothing goes.
        Assert.Equal(0, (await DispatchAsync(h)).Claimed);
        h.Clock.Advance(TimeSpan.FromHours(2));
        var resumed = await DispatchAsync(h);

        Assert.Equal(15, resumed.Sent);
        var received = server.WaitForMessages(18);
        var expected = before.Concat(during).Concat(during2).Select(id => MessageIdOf(h, id)).Order().ToList();
        Assert.Equal(expected, received.Select(m => m.MessageId ?? "").Order().ToList());
        Assert.All(await OutboxAsync(h), r => Assert.Equal(OutboxState.Sent, r.State));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task PermanentRejection_DeadLettersAfterOneAttempt_AndTheOthersInTheBatchAreSent(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        await SetEmailAsync(h, HsnContributor, "reject-hsn@test.local");
        var rejected = await RecordRowsAsync(h, 1, HsnContributor);
        var accepted = await RecordRowsAsync(h, 2, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(1, summary.DeadLettered);
        Assert.Equal(2, summary.Sent);
        var row = (await OutboxAsync(h)).Single(r => r.Id == rejected[0]);
        Assert.Equal(OutboxState.DeadLetter, row.State);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(550, row.LastStatusCode);
        Assert.False(string.IsNullOrEmpty(row.LastError));
        h.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, (await DispatchAsync(h)).Claimed);
        Assert.Equal(accepted.Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(2).Select(m => m.MessageId).Order());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task TemporaryFailure_RetriesWithBackoff_ThenSends(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        await SetEmailAsync(h, HsnContributor, "tempfail-hsn@test.local");
        var id = (await RecordRowsAsync(h, 1, HsnContributor))[0];

        await DispatchAsync(h);
        var first = (await OutboxAsync(h)).Single(r => r.Id == id);
        Assert.Equal(OutboxState.Retrying, first.State);
        Assert.Equal(451, first.LastStatusCode);
        var wait1 = first.NextAttemptAtUtc!.Value - h.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(wait1, TimeSpan.FromSeconds(47), TimeSpan.FromSeconds(73));

        h.Clock.Advance(wait1);
        await DispatchAsync(h);
        var second = (await OutboxAsync(h)).Single(r => r.Id == id);
        Assert.Equal(OutboxState.Retrying, second.State);
        Assert.Equal(2, second.Attempts);
        var wait2 = second.NextAttemptAtUtc!.Value - h.Clock.GetUtcNow().UtcDateTime;
        Assert.InRange(wait2, TimeSpan.FromSeconds(95), TimeSpan.FromSeconds(145));

        // The mailbox recovers (here: the address no longer triggers 451).
        await SetEmailAsync(h, HsnContributor, "hsn@test.local");
        h.Clock.Advance(wait2);
        var summary = await DispatchAsync(h);

        Assert.Equal(1, summary.Sent);
        var sent = (await OutboxAsync(h)).Single(r => r.Id == id);
        Assert.Equal(OutboxState.Sent, sent.State);
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(MessageIdOf(h, id), Assert.Single(server.WaitForMessages(1)).MessageId);
    }

    [Fact]
    public async Task StillFailing48HoursAfterTheFirstAttempt_DeadLetters()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        server.Stop();
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        var id = (await RecordRowsAsync(h, 1, EsContributor))[0];
        var firstAttempt = h.Clock.GetUtcNow().UtcDateTime;

        var attempts = 0;
        OutboxMessageEntity row;
        do
        {
            await DispatchAsync(h);
            attempts++;
            row = (await OutboxAsync(h)).Single(r => r.Id == id);
            if (row.State == OutboxState.Retrying)
            {
                h.Clock.SetUtcNow(new DateTimeOffset(row.NextAttemptAtUtc!.Value, TimeSpan.Zero));
            }
        }
        while (row.State == OutboxState.Retrying && attempts < 200);

        Assert.Equal(OutboxState.DeadLetter, row.State);
        Assert.Equal(firstAttempt, row.FirstAttemptAtUtc);
        Assert.True(h.Clock.GetUtcNow().UtcDateTime - firstAttempt >= TimeSpan.FromHours(48));
        Assert.InRange(attempts, 45, 60); // ~1, 2, 4 … 60 min, then hourly: about 53 tries in 48 h
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task EachMessagesContent_GoesOnlyAfterEveryEarlierMessageIsRecordedSent(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        RecordingTransport? recording = null;
        await using var h = await WithEmailAsync(provider, server, sp =>
            recording = new RecordingTransport(new SmtpMailTransport(sp.GetRequiredService<IOptions<EmailOptions>>()), sp.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>()));
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, OutboxDispatcher.BatchSize + 30, EsContributor);
        var sentBefore = await h.DbAsync(db => db.OutboxMessages.CountAsync(o => o.State == OutboxState.Sent));

        var summary = await DispatchAsync(h);

        Assert.Equal(ids.Count, summary.Sent);
        // The invariant that bounds a crash to one duplicate: when message n's content is handed over, the n earlier
        // messages are all recorded Sent (counted in the database at that moment, outside the dispatcher).
        Assert.Equal(Enumerable.Range(sentBefore, ids.Count), recording!.SentBeforeContent);
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(ids.Count).Select(m => m.MessageId).Order());
        Assert.Equal(1, server.ConnectionCount); // one connection kept across the batches
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task RunAfterThisInstanceWasKilled_TakesItsLeaseAtOnce_AndSendsWhatItLeftSending(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 30, EsContributor);
        // What a killed process leaves: its rows Sending under its token (10 of them already Sent) and its lease,
        // written by this same instance from a process that no longer exists, valid for minutes yet.
        var owner = h.Services.GetRequiredService<LeaseOwner>();
        var deadToken = Guid.NewGuid();
        await LeaveADeadRunAsync(h, $"{owner.InstanceId}/{DeadPid()}/0123456789ab/{deadToken:N}", deadToken, ids, sent: 10, TimeSpan.FromMinutes(5));

        var run = await DispatchAsync(h);

        Assert.False(run.Skipped);
        Assert.Equal(20, run.Sent);
        Assert.All(await OutboxAsync(h), r => Assert.Equal(OutboxState.Sent, r.State));
        Assert.Equal(ids.Skip(10).Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(20).Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task LeaseOfAnotherInstance_IsTakenOverOnlyAfterItsHeartbeatStopsForTheTtl_AndItsRowsAreRecovered()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 5, EsContributor);
        var deadToken = Guid.NewGuid();
        await LeaveADeadRunAsync(h, $"other-node/4242/0123456789ab/{deadToken:N}", deadToken, ids, sent: 0, JobLease.HeartbeatTtl);

        Assert.True((await DispatchAsync(h)).Skipped); // it may be alive: its heartbeat is recent
        h.Clock.Advance(JobLease.HeartbeatTtl + TimeSpan.FromSeconds(1));
        var run = await DispatchAsync(h);

        Assert.Equal(5, run.Sent);
        Assert.Equal(5, server.WaitForMessages(5).Count);
    }

    [Fact]
    public async Task HeldLease_IsRenewedByItsHeartbeat_SoItIsNotTakenWhileItsHolderLives()
    {
        await using var h = await SqliteWithEmailAsync(null);
        var lease = h.Services.CreateScope().ServiceProvider.GetRequiredService<JobLease>();
        await using var hold = await lease.TryHoldAsync("test-lease");
        Assert.NotNull(hold);

        for (var i = 0; i < 6; i++)
        {
            h.Clock.Advance(JobLease.HeartbeatInterval);
            await WaitUntilAsync(async () => await h.DbAsync(db => db.JobLeases.AsNoTracking().Where(l => l.Name == "test-lease").Select(l => l.ExpiresAtUtc).SingleAsync())
                > h.Clock.GetUtcNow().UtcDateTime + JobLease.HeartbeatTtl - JobLease.HeartbeatInterval);
        }

        Assert.False(await lease.TryAcquireAsync("test-lease", "someone-else", TimeSpan.FromMinutes(1)));
        Assert.False(hold!.IsLost);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(await condition());
    }

    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    private static async Task LeaveADeadRunAsync(EngineHarness h, string holder, Guid token, IReadOnlyList<Guid> ids, int sent, TimeSpan leaseLeft)
    {
        var now = h.Clock.GetUtcNow().UtcDateTime;
        var sentIds = ids.Take(sent).ToList();
        await h.DbAsync(async db =>
        {
            await db.OutboxMessages.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sending).SetProperty(o => o.ClaimToken, token).SetProperty(o => o.ClaimedAtUtc, now)
                .SetProperty(o => o.Attempts, 1).SetProperty(o => o.FirstAttemptAtUtc, now));
            await db.OutboxMessages.Where(o => sentIds.Contains(o.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sent).SetProperty(o => o.ClaimToken, (Guid?)null).SetProperty(o => o.SentAtUtc, now));
            db.JobLeases.Add(new JobLeaseEntity { Name = OutboxDispatcher.LeaseName, Holder = holder, ExpiresAtUtc = now + leaseLeft });
            return await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task Dispatch_WorksOverStartTls()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.StartTls);
        await using var h = await SqliteWithEmailAsync(server, SmtpSecurity.StartTls);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 5, RunContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(5, summary.Sent);
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(5).Select(m => m.MessageId).Order());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task ReminderWhoseStepCompletedBeforeSending_IsDropped_NotSent(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await WithEmailAsync(provider, server);
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero).AddHours(-1).AddMinutes(1));
        await AdvanceToAsync(h, new DateTimeOffset(2026, 4, 8, 6, 0, 1, TimeSpan.Zero)); // 08:00:01 Stockholm (CEST)
        var reminder = Assert.Single(await OutboxAsync(h), r => r.Kind == EmailKind.Reminder);
        Assert.Equal(OutboxState.Pending, reminder.State);

        await CompleteAsync(h, await StepAsync(h, "forutsattningar"));
        var summary = await DispatchAsync(h);

        Assert.Equal(1, summary.Dropped);
        var rows = await OutboxAsync(h);
        Assert.Equal(OutboxState.Dropped, rows.Single(r => r.Id == reminder.Id).State);
        var received = server.WaitForMessages(rows.Count(r => r.State == OutboxState.Sent));
        Assert.DoesNotContain(received, m => m.MessageId == MessageIdOf(h, reminder.Id));
        Assert.Contains(received, m => m.MessageId == MessageIdOf(h, rows.Single(r => r.Kind == EmailKind.Completed).Id));
    }

    [Fact]
    public async Task WithoutSmtpHost_WritesEmlFilesToThePickupFolder_ThroughTheSameStates()
    {
        await using var h = await SqliteWithEmailAsync(null);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 3, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(3, summary.Sent);
        Assert.IsType<PickupFolderMailTransport>(h.Services.GetRequiredService<IMailTransport>());
        var folder = ((PickupFolderMailTransport)h.Services.GetRequiredService<IMailTransport>()).Folder;
        var files = Directory.GetFiles(folder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f).MessageId).Order();
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), files);
        Assert.All(await OutboxAsync(h), r => Assert.Equal(OutboxState.Sent, r.State));
    }

    [Fact]
    public async Task Run_IsSkipped_WhileAnotherRunHoldsTheDatabaseLease()
    {
        await using var h = await SqliteWithEmailAsync(null);
        await StartAsync(h);
        await RecordRowsAsync(h, 2, EsContributor);
        var lease = h.Services.CreateScope().ServiceProvider.GetRequiredService<JobLease>();
        Assert.True(await lease.TryAcquireAsync(OutboxDispatcher.LeaseName, "other-instance", TimeSpan.FromMinutes(5)));

        var skipped = await DispatchAsync(h);
        Assert.True(skipped.Skipped);
        Assert.Equal(0, skipped.Claimed);

        h.Clock.Advance(TimeSpan.FromMinutes(6)); // the other instance died: its lease expires
        var run = await DispatchAsync(h);
        Assert.False(run.Skipped);
        Assert.Equal(2, run.Sent);
    }

    [Fact]
    public async Task RecipientWhoseNameHasALineBreak_IsDeadLettered_AndTheRestOfTheBatchIsSent()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        // Written straight to the database (as an identity provider's claim might be): the API would refuse it.
        await h.DbAsync(db => db.Users.Where(u => u.Id == RunContributor).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Run\r\nBcc: all@evil.example")));
        var bad = (await RecordRowsAsync(h, 1, RunContributor))[0];
        var good = await RecordRowsAsync(h, 2, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(1, summary.DeadLettered);
        Assert.Equal(2, summary.Sent);
        var row = (await OutboxAsync(h)).Single(r => r.Id == bad);
        Assert.Equal(OutboxState.DeadLetter, row.State);
        Assert.Contains("line break", row.LastError ?? "", StringComparison.OrdinalIgnoreCase);
        var received = server.WaitForMessages(2);
        Assert.Equal(good.Select(id => MessageIdOf(h, id)).Order(), received.Select(m => m.MessageId).Order());
        Assert.DoesNotContain(received, m => m.Bcc.Count > 0 || m.Headers.Contains("Bcc"));
    }

    [Fact]
    public async Task Metrics_CountSentRetryingDeadLetteredAndDropped()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Rejecting);
        await using var h = await SqliteWithEmailAsync(server);
        var metrics = h.Services.GetRequiredService<EmailMetrics>();
        var counts = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this harness's meter: other tests running at the same time have their own.
            if (instrument == metrics.Sent || instrument == metrics.Retrying || instrument == metrics.DeadLettered || instrument == metrics.Dropped)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
            {
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        await StartAsync(h);
        await SetEmailAsync(h, HsnContributor, "reject-hsn@test.local");
        await SetEmailAsync(h, RunContributor, "tempfail-run@test.local");
        await RecordRowsAsync(h, 3, EsContributor);
        await RecordRowsAsync(h, 1, HsnContributor);
        await RecordRowsAsync(h, 2, RunContributor);
        await RecordRowsAsync(h, 1, EsContributor, EmailKind.Reminder, "manadsrapport#1/HSN");
        await h.DbAsync(db => db.StepInstances.Where(s => s.Key == "manadsrapport#1/HSN").ExecuteUpdateAsync(s => s.SetProperty(x => x.State, StepState.Skipped)));

        await DispatchAsync(h);

        Assert.Equal(3, counts.GetValueOrDefault("annualcycle.email.sent"));
        Assert.Equal(2, counts.GetValueOrDefault("annualcycle.email.retrying"));
        Assert.Equal(1, counts.GetValueOrDefault("annualcycle.email.dead_lettered"));
        Assert.Equal(1, counts.GetValueOrDefault("annualcycle.email.dropped"));
        Assert.Equal(EmailMetrics.MeterName, metrics.Sent.Meter.Name);
    }

    [Fact]
    public async Task TransportThatThrows_LeavesTheBatchRetrying_NotStuckInSending()
    {
        await using var h = await SqliteWithEmailAsync(null, transport: _ => new ThrowingTransport());
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 3, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(3, summary.Retrying);
        Assert.All((await OutboxAsync(h)).Where(r => ids.Contains(r.Id)), r =>
        {
            Assert.Equal(OutboxState.Retrying, r.State);
            Assert.Equal("transport bug", r.LastError);
        });
    }

    [Fact]
    public async Task ReminderWhoseStepWasSubmittedBeforeSending_IsDropped_ButTheApprovalRequestGoes()
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        await using var h = await SqliteWithEmailAsync(server);
        await StartAsync(h);
        await AdvanceToAsync(h, new DateTimeOffset(2027, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var step = await StepAsync(h, "manadsrapport#1/HSN");
        await DispatchAsync(h);
        var reminder = (await RecordRowsAsync(h, 1, HsnContributor, EmailKind.Reminder, step.Key))[0];

        await SubmitAsync(h, step);
        var summary = await DispatchAsync(h);

        Assert.Equal(1, summary.Dropped);
        var rows = await OutboxAsync(h);
        Assert.Equal(OutboxState.Dropped, rows.Single(r => r.Id == reminder).State);
        var approval = rows.Single(r => r.Kind == EmailKind.ApprovalRequested && r.StepInstanceId == step.Id);
        Assert.Equal(OutboxState.Sent, approval.State);
        Assert.DoesNotContain(server.ReceivedMessages(), m => m.MessageId == MessageIdOf(h, reminder));
    }
}
