using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>
/// The send loop as a pipeline: the Sent mark of message n commits while message n + 1's envelope goes, and message
/// n + 1's end of data (the moment the server may accept it) still waits for that mark.
/// </summary>
public sealed class PipelinedMarkTests : EmailTestBase
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task NextEnvelope_GoesWhileThePreviousMarkIsHeldUp_AndItsContentWaitsForThatMark(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        MarkHoldingTransport? holding = null;
        await using var h = await WithEmailAsync(provider, server, sp =>
            holding = new MarkHoldingTransport(new SmtpMailTransport(sp.GetRequiredService<IOptions<EmailOptions>>()), sp.GetRequiredService<IServiceScopeFactory>()));
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 3, EsContributor);
        var sentBefore = await h.DbAsync(db => db.OutboxMessages.CountAsync(o => o.State == OutboxState.Sent));

        var summary = await DispatchAsync(h);

        Assert.Equal(3, summary.Sent);
        // The database refused every write from just after message 1 was accepted until message 2 was offered to the
        // session: the sender did not wait for message 1's mark before starting message 2 …
        Assert.True(holding!.NextOfferedWhileHeld, "message 2 was offered only after message 1's mark could commit");
        // … and message 2 could be accepted only after message 1 was recorded Sent (counted from outside, in the hook).
        Assert.Equal([sentBefore + 1, sentBefore + 2], holding.SentBeforeContent);
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(3).Select(m => m.MessageId).Order());
    }
}

/// <summary>
/// After the first message is accepted, takes the database's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an
/// EXCLUSIVE lock on the outbox table, which blocks UPDATEs, not reads) so that its Sent mark cannot commit; lets go
/// when the second message is offered, or after <see cref="HoldAtMost"/> when it is not.
/// </summary>
public sealed class MarkHoldingTransport(IMailTransport inner, IServiceScopeFactory scopes) : IMailTransport
{
    private static readonly TimeSpan HoldAtMost = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _release = new(0);
    private Task? _holder;
    private int _offered;

    public bool NextOfferedWhileHeld { get; private set; }

    public List<int> SentBeforeContent { get; } = [];

    public Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendBatchAsync(messages, cancellationToken);

    public async ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default) =>
        new Session(this, await inner.OpenSessionAsync(cancellationToken));

    private async Task<int> CountSentAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AnnualCycleDbContext>>().CreateDbContextAsync(ct);
        return await db.OutboxMessages.CountAsync(o => o.State == OutboxState.Sent, ct);
    }

    /// <summary>Takes the lock, returns once it is held, and keeps it on a task of its own until released.</summary>
    private async Task HoldAsync()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holder = Task.Run(async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AnnualCycleDbContext>>().CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            await using (var take = db.Database.GetDbConnection().CreateCommand())
            {
                take.CommandText = db.Database.IsSqlite() ? "BEGIN IMMEDIATE" : "BEGIN; LOCK TABLE \"OutboxMessages\" IN EXCLUSIVE MODE";
                await take.ExecuteNonQueryAsync();
            }

            held.SetResult();
            await _release.WaitAsync(HoldAtMost);
            await using var rollback = db.Database.GetDbConnection().CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        });
        await held.Task;
    }

    private sealed class Session(MarkHoldingTransport owner, IMailSession inner) : IMailSession
    {
        public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default)
        {
            var offered = Interlocked.Increment(ref owner._offered);
            if (offered == 2)
            {
                owner.NextOfferedWhileHeld = owner._holder is { IsCompleted: false };
                owner._release.Release();
            }

            var result = await inner.SendAsync(message, async () =>
            {
                if (beforeEnd is not null)
                {
                    await beforeEnd();
                }

                if (offered > 1)
                {
                    var sent = await owner.CountSentAsync(cancellationToken);
                    lock (owner.SentBeforeContent)
                    {
                        owner.SentBeforeContent.Add(sent);
                    }
                }
            }, beforeEndTimeout, cancellationToken);
            if (offered == 1 && result.Outcome == SendOutcome.Sent)
            {
                await owner.HoldAsync();
            }

            return result;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
