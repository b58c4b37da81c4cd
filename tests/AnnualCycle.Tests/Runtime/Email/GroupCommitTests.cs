using System.Diagnostics.Metrics;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Notifications;
using AnnualCycle.Notifications.Sending;
using AnnualCycle.Runtime.Email;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using static AnnualCycle.Tests.Infrastructure.EngineHarness;

namespace AnnualCycle.Tests.Runtime.Email;

/// <summary>
/// The Sent marks of a run are a group commit shared by its connections: marks asked for while a commit is under way
/// (or the database is busy) are recorded together by the next commit, and each mark still says whether its row was
/// recorded.
/// </summary>
public sealed class GroupCommitTests : EmailTestBase
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task MarksAskedForWhileTheDatabaseIsBusy_AreRecordedTogether_EachWithItsOwnAnswer(string provider)
    {
        await using var h = await WithEmailAsync(provider, server: null);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 6, EsContributor);
        var token = Guid.NewGuid();
        var otherRun = Guid.NewGuid();
        // Five rows claimed by this run; the sixth was taken over by another run meanwhile.
        await h.DbAsync(db => db.OutboxMessages.Where(o => ids.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Sending).SetProperty(o => o.ClaimToken, token)));
        await h.DbAsync(db => db.OutboxMessages.Where(o => o.Id == ids[5])
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimToken, otherRun)));
        var metrics = h.Services.GetRequiredService<EmailMetrics>();
        using var commits = new CommitCounter(metrics);

        await using var scope = h.Services.CreateAsyncScope();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AnnualCycleDbContext>>();
        var marks = new OutboxSentMarks(contexts, NullLogger.Instance, metrics);
        Task<bool>[] asked;
        await using (await HoldWriteLockAsync(contexts))
        {
            // As six connections would: each asks for the mark of the row it has just sent, none waits for the others.
            asked = ids.Select(id => marks.MarkSentAsync(id, token, h.Clock.GetUtcNow().UtcDateTime, 250, CancellationToken.None)).ToArray();
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.All(asked, mark => Assert.False(mark.IsCompleted, "a mark committed while the database's write lock was held"));
        }

        var answers = await Task.WhenAll(asked);
        await marks.DisposeAsync();

        Assert.Equal([true, true, true, true, true, false], answers);
        // The writer may have started a commit of the first mark before the others were asked for; the rest go in one.
        Assert.InRange(commits.Count, 1, 2);
        var rows = await h.DbAsync(db => db.OutboxMessages.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id));
        Assert.All(ids.Take(5), id => Assert.Equal((OutboxState.Sent, (Guid?)null, (int?)250), (rows[id].State, rows[id].ClaimToken, rows[id].LastStatusCode)));
        Assert.Equal(OutboxState.Sending, rows[ids[5]].State);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task SeveralConnections_EachMessageEndsOnlyAfterItsOwnConnectionsPreviousRowIsRecordedSent(string provider)
    {
        using var server = new SmtpServerFixture(SmtpServerMode.Plain);
        PerConnectionTransport? checking = null;
        await using var h = await WithEmailAsync(
            provider,
            server,
            sp => checking = new PerConnectionTransport(new SmtpMailTransport(sp.GetRequiredService<IOptions<EmailOptions>>()), sp.GetRequiredService<IServiceScopeFactory>()),
            connections: 3);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 90, EsContributor);

        var summary = await DispatchAsync(h);

        Assert.Equal(ids.Count, summary.Sent);
        Assert.Equal(3, checking!.Sessions);
        // The bound of a crash, per connection: when a message's end of data goes (the server may accept it), the previous
        // message of the same connection is recorded Sent (read in the database at that moment, outside the dispatcher).
        Assert.NotEmpty(checking.PreviousStates);
        Assert.All(checking.PreviousStates, state => Assert.Equal(OutboxState.Sent, state));
        Assert.Equal(ids.Select(id => MessageIdOf(h, id)).Order(), server.WaitForMessages(ids.Count).Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task MarksAskedForAfterTheRunIsCancelled_AreNotRecorded_TheRowStaysSendingToGoAgain()
    {
        await using var h = await WithEmailAsync("Sqlite", server: null);
        await StartAsync(h);
        var ids = await RecordRowsAsync(h, 1, EsContributor);
        var token = Guid.NewGuid();
        await h.DbAsync(db => db.OutboxMessages.Where(o => ids.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.State, OutboxState.Sending).SetProperty(o => o.ClaimToken, token)));
        await using var scope = h.Services.CreateAsyncScope();
        var contexts = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AnnualCycleDbContext>>();
        await using var marks = new OutboxSentMarks(contexts, NullLogger.Instance);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => marks.MarkSentAsync(ids[0], token, h.Clock.GetUtcNow().UtcDateTime, 250, cancelled.Token));

        Assert.Equal(OutboxState.Sending, (await h.DbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(o => o.Id == ids[0]))).State);
    }

    /// <summary>Holds the database's write lock for the outbox (SQLite: BEGIN IMMEDIATE; PostgreSQL: an EXCLUSIVE table lock) until disposed.</summary>
    private static async Task<IAsyncDisposable> HoldWriteLockAsync(IDbContextFactory<AnnualCycleDbContext> contexts)
    {
        var db = await contexts.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using (var take = db.Database.GetDbConnection().CreateCommand())
        {
            take.CommandText = db.Database.IsSqlite() ? "BEGIN IMMEDIATE" : "BEGIN; LOCK TABLE \"OutboxMessages\" IN EXCLUSIVE MODE";
            await take.ExecuteNonQueryAsync();
        }

        return new Held(db);
    }

    private sealed class Held(AnnualCycleDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (var rollback = db.Database.GetDbConnection().CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            await db.DisposeAsync();
        }
    }

    /// <summary>Counts the mark commits of one <see cref="EmailMetrics"/> (other tests' meters have the same name).</summary>
    private sealed class CommitCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public CommitCounter(EmailMetrics metrics)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, metrics.MarkCommits))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, (int)value));
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>
/// Wraps a transport's sessions: just before each message's end of data goes (after the dispatcher's hook), reads the
/// state of the previous message this same session sent.
/// </summary>
public sealed class PerConnectionTransport(IMailTransport inner, IServiceScopeFactory scopes) : IMailTransport
{
    private int _sessions;

    public int Sessions => Volatile.Read(ref _sessions);

    public List<OutboxState> PreviousStates { get; } = [];

    public Task<IReadOnlyList<SendResult>> SendBatchAsync(IReadOnlyList<MimeMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendBatchAsync(messages, cancellationToken);

    public async ValueTask<IMailSession> OpenSessionAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _sessions);
        return new Session(this, await inner.OpenSessionAsync(cancellationToken));
    }

    private sealed class Session(PerConnectionTransport owner, IMailSession inner) : IMailSession
    {
        private Guid? _previous;

        public async Task<SendResult> SendAsync(MimeMessage message, Func<Task>? beforeEnd, TimeSpan beforeEndTimeout, CancellationToken cancellationToken = default)
        {
            var previous = _previous;
            var result = await inner.SendAsync(message, async () =>
            {
                if (beforeEnd is not null)
                {
                    await beforeEnd();
                }

                if (previous is { } id)
                {
                    await using var scope = owner.Scopes.CreateAsyncScope();
                    await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AnnualCycleDbContext>>().CreateDbContextAsync(cancellationToken);
                    var state = await db.OutboxMessages.Where(o => o.Id == id).Select(o => o.State).SingleAsync(cancellationToken);
                    lock (owner.PreviousStates)
                    {
                        owner.PreviousStates.Add(state);
                    }
                }
            }, beforeEndTimeout, cancellationToken);
            if (result.Outcome == SendOutcome.Sent)
            {
                _previous = Guid.Parse(message.Headers["X-AnnualCycle-Outbox-Id"] ?? throw new InvalidOperationException("no outbox id"));
            }

            return result;
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private IServiceScopeFactory Scopes => scopes;
}
