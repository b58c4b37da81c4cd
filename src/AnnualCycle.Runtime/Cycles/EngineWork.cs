using AnnualCycle.Data.Changes;
using AnnualCycle.Runtime.Cycles.Journal;
using Microsoft.Data.Sqlite;
using AnnualCycle.Runtime.Email;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace AnnualCycle.Runtime.Cycles;

/// <summary>
/// One command's (or one timer's) unit of work: a single transaction in which the state change, its
/// outbox rows and its journal entries are saved together, or none of them.
/// </summary>
/// <remarks>
/// Writers take one lock before writing: <c>pg_advisory_xact_lock</c> on PostgreSQL (SQLite's
/// <c>BEGIN IMMEDIATE</c> already serialises writers). Taking it before the first write keeps the journal
/// chain from forking and rules out lock-order deadlocks between commands and timers. Reads happen before
/// the lock and are checked at save time by the steps' concurrency tokens.
/// </remarks>
internal sealed class EngineWork : IStepJournal
{
    private const long JournalLockKey = 0x41_6E_6E_75_61_6C; // "Annual"
    private readonly List<JournalEntryEntity> _journal = [];
    private readonly List<OutboxMessageEntity> _outbox = [];
    private readonly List<(Type Type, List<object> Rows)> _inserts = [];
    private bool _locked;

    public EngineWork(AnnualCycleDbContext db, TimeProvider clock)
    {
        Db = db;
        // Milliseconds only: both providers store them exactly, so the journal hash survives a round trip.
        var now = clock.GetUtcNow().UtcDateTime;
        Now = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    public AnnualCycleDbContext Db { get; }

    /// <summary>The instant of this unit of work, from the injected clock.</summary>
    public DateTime Now { get; }

    /// <summary>Outbox rows this unit of work actually added (dedup keys already recorded left out).</summary>
    public int OutboxRecorded { get; private set; }

    public void Journal(Guid? cycleId, string actorUserId, string? onBehalfOf, string action, StepInstanceEntity? step, string? from, string? to, string? comment, string? subject = null) =>
        _journal.Add(new JournalEntryEntity
        {
            CycleId = cycleId,
            AtUtc = Now,
            ActorUserId = actorUserId,
            OnBehalfOfUserId = onBehalfOf,
            Action = action,
            Subject = subject ?? step?.Key,
            StepInstanceId = step?.Id,
            FromState = from,
            ToState = to,
            Comment = comment,
            PreviousHash = "",
            Hash = "",
        });

    /// <summary>A step's transition (<see cref="StepInstanceEntity.Apply"/>): the journal's action, from and to come from the table.</summary>
    void IStepJournal.Record(StepInstanceEntity step, StepTransition transition, string actorUserId, string? onBehalfOfUserId, string? comment, string? subject) =>
        Journal(step.CycleId, actorUserId, onBehalfOfUserId, transition.JournalAction, step, transition.From.ToString(), transition.To.ToString(), comment, subject);

    /// <summary>Records a notification for each recipient; a dedup key already recorded is left out quietly.</summary>
    /// <remarks>The payload carries what a template needs without a join: step key, title, body, due instant, and a comment when there is one.</remarks>
    public void Notify(EmailKind kind, StepInstanceEntity step, IEnumerable<string> recipients, Func<string, string> dedupKey, string? comment = null)
    {
        var payloadJson = System.Text.Json.JsonSerializer.Serialize(new { step.Key, step.Title, step.BodyId, step.DueAtUtc, step.CycleId, Comment = comment });
        foreach (var user in recipients)
        {
            _outbox.Add(new OutboxMessageEntity
            {
                Id = Guid.NewGuid(),
                Kind = kind,
                RecipientUserId = user,
                CycleId = step.CycleId,
                StepInstanceId = step.Id,
                DedupKey = dedupKey(user),
                CreatedAtUtc = Now,
                State = OutboxState.Pending,
                PayloadJson = payloadJson,
            });
        }
    }

    /// <summary>
    /// New rows written at save, after the tracked changes (so they may refer to a tracked new row, e.g. a cycle), by
    /// <see cref="BulkRows"/> instead of EF Core's one statement per entity: for the thousands of rows of a cycle start.
    /// Types are written in the order they were first added here (parents before children). The rows are not tracked:
    /// change them in memory before <see cref="SaveAsync"/>, never after.
    /// </summary>
    public void Insert<T>(IEnumerable<T> rows) where T : class
    {
        var batch = _inserts.FirstOrDefault(i => i.Type == typeof(T));
        if (batch.Rows is null)
        {
            batch = (typeof(T), []);
            _inserts.Add(batch);
        }

        batch.Rows.AddRange(rows);
    }

    /// <summary>Takes the writers' lock (idempotent within the transaction).</summary>
    public async Task LockAsync(CancellationToken ct)
    {
        if (_locked)
        {
            return;
        }

        if (Db.Database.IsNpgsql())
        {
            await Db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({JournalLockKey})", ct);
        }

        _locked = true;
    }

    /// <summary>Adds the outbox rows not yet recorded, chains the journal entries and saves everything.</summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        await LockAsync(ct);
        var keys = _outbox.Select(o => o.DedupKey).Distinct().ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(500))
        {
            existing.UnionWith(await Db.OutboxMessages.AsNoTracking().Where(o => chunk.Contains(o.DedupKey)).Select(o => o.DedupKey).ToListAsync(ct));
        }

        var outbox = new List<object>();
        foreach (var message in _outbox)
        {
            if (existing.Add(message.DedupKey))
            {
                outbox.Add(message);
                OutboxRecorded++;
            }
        }

        _outbox.Clear();
// The entries are numbered and chained here and the heads that count them (the whole journal's and each cycle's) are
        // moved in this same save; the entries themselves go in bulk below with the other new rows.
        var journal = await JournalChain.AppendAsync(Db, _journal, ct);
        _journal.Clear();

        // Tracked changes first (a new cycle, changed steps), then the new rows, which may refer to them; the journal and
        // outbox rows are appended the same way as any other new rows: one path for every unit of work.
        await Db.SaveChangesAsync(ct);
        foreach (var (type, rows) in _inserts)
        {
            await BulkRows.InsertAsync(Db, type, rows, ct);
        }

        await BulkRows.InsertAsync(Db, typeof(OutboxMessageEntity), outbox, ct);
        await BulkRows.InsertAsync(Db, typeof(JournalEntryEntity), journal, ct);
        // Live views hear of these rows as of tracked ones: with the transaction's commit, once per cycle.
        var cycles = _inserts.SelectMany(i => i.Rows).Concat(journal).Select(CycleChangeInterceptor.CycleOf).OfType<Guid>().ToHashSet();
        _inserts.Clear();
        if (cycles.Count > 0)
        {
            ApplicationServices(Db)?.GetService<CycleChangeNotifier>()?.Saved(Db, cycles);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction and commits. A concurrent change of the same step
    /// (<see cref="DbUpdateConcurrencyException"/>) becomes the exception <paramref name="onConflict"/> builds
    /// from a fresh read; a unique-index violation becomes a <see cref="ConflictException"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(AnnualCycleDbContext db, TimeProvider clock, Func<EngineWork, Task<T>> body, Func<Task<Exception>>? onConflict, CancellationToken ct)
    {
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var work = new EngineWork(db, clock);
            var result = await body(work);
            await work.SaveAsync(ct);
            await tx.CommitAsync(ct);
            if (work.OutboxRecorded > 0)
            {
                WakeOutbox(db);
            }

            return result;
        }
        catch (DbUpdateConcurrencyException) when (onConflict is not null)
        {
            db.ChangeTracker.Clear();
            throw await onConflict();
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            db.ChangeTracker.Clear();
            throw new ConflictException("It already exists: someone else saved the same thing at the same time.");
        }
    }

    /// <summary>
    /// After a commit that recorded notifications: asks for an outbox run now rather than at the next minute sweep.
    /// The handlers get only the DbContext, so the wake-up is found through the application's services the context
    /// was built with. Never fails the command: the rows are committed and the sweep sends them anyway.
    /// </summary>
    private static void WakeOutbox(AnnualCycleDbContext db) => OutboxWakeups.TryWake(ApplicationServices(db));

    private static IServiceProvider? ApplicationServices(AnnualCycleDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider;

    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
