using System.Diagnostics;
using System.Text.RegularExpressions;
using AnnualCycle.Data;
using AnnualCycle.Data.Changes;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Domain.Planning;
using AnnualCycle.Cli.Bench;
using AnnualCycle.Runtime.Cycles.Commands;
using AnnualCycle.Runtime.Cycles.Journal;
using AnnualCycle.Runtime.Cycles.Timers;
using AnnualCycle.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AnnualCycle.Tests.Runtime.Cycles;

/// <summary>
/// Starting a cycle writes its thousands of rows (steps, approvals, timers) in bulk, not one EF Core statement per
/// entity (the cause of a start running at 8 % of the database's insert rate, issue 13), and what it writes reads back
/// exactly as the plan says: every column, the journal chain, live views told once. Speed itself is the bench's.
/// </summary>
public abstract class CycleStartBulkTests : EngineTestBase
{
    [Fact]
    public async Task StartCycle_OfAThousandSteps_WritesItsRowsInBulk_NotOneStatementPerEntity()
    {
        await using var h = await CreateHarnessAsync();
        var big = new ScaledCyclePlanner(new FakeCyclePlanner(), 1000);
        var plan = big.Plan(FakeCyclePlanner.WorkflowId, 2027);
        var po = await h.ActorAsync(EngineHarness.ProcessOwner);
        var changed = new List<IReadOnlyCollection<Guid>>();
        var notifier = h.Services.GetRequiredService<CycleChangeNotifier>();
        void Listen(IReadOnlyCollection<Guid> ids)
        {
            lock (changed)
            {
                changed.Add(ids);
            }
        }

        notifier.Changed += Listen;
        var inserts = 0;
        Guid cycleId;
        try
        {
            cycleId = await h.InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<AnnualCycleDbContext>();
                using var counter = EfCommands.Watch(db, text => inserts += Regex.Count(text, @"\bINSERT\s+INTO\s+(?!""?TimerWakeups\b)", RegexOptions.IgnoreCase));
                var handler = ActivatorUtilities.CreateInstance<StartCycleHandler>(sp, (ICyclePlanner)big);
                return (await handler.HandleAsync(po, new StartCycleCommand(FakeCyclePlanner.OrganisationId, FakeCyclePlanner.WorkflowId, 2027))).Id;
            });
        }
        finally
        {
            notifier.Changed -= Listen;
        }

        // The cycle row and its two journal heads (the whole journal's and the cycle's) are EF Core's (the cycle's unique
        // index decides racing starts); the rest went in bulk. The scheduler's claims of wake-up seconds are not the start's rows.
        Assert.True(inserts <= 3, $"EF Core issued {inserts} INSERT statements for the start (one per entity before the bulk path)");

        var steps = await h.DbAsync(db => db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycleId).ToListAsync());
        var approvals = await h.DbAsync(db => db.Approvals.AsNoTracking().ToListAsync());
        var timers = await h.DbAsync(db => db.Timers.AsNoTracking().Where(t => t.CycleId == cycleId).ToListAsync());
        Assert.Equal(1000, steps.Count);
        var byKey = steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var now = h.Clock.GetUtcNow().UtcDateTime;
        foreach (var planned in plan.Steps)
        {
            var step = byKey[planned.Key];
            Assert.Equal((planned.StepId, planned.Title, planned.Kind, planned.BodyId, planned.Role, planned.Phase, planned.Occurrence, planned.Statutory),
                (step.StepId, step.Title, step.Kind, step.BodyId, step.Role, step.Phase, step.Occurrence, step.Statutory));
            Assert.Equal((planned.Opens.UtcDateTime, planned.Due.UtcDateTime, DateTimeKind.Utc), (step.OpensAtUtc, step.DueAtUtc, step.DueAtUtc.Kind));
            Assert.Equal(string.Join('\n', planned.DependsOn), step.DependsOn);
            Assert.Equal((StepState.Planned, 1, 0, 0), (step.State, step.Round, step.Version, step.DateVersion));
            Assert.Equal(planned.Approvals.Select(a => (a.Order, a.BodyId, a.Role, a.Title)),
                approvals.Where(a => a.StepInstanceId == step.Id).OrderBy(a => a.Order).Select(a => (a.Order, a.BodyId, a.Role, a.Title)));
            Assert.All(approvals.Where(a => a.StepInstanceId == step.Id), a => Assert.Equal((1, ApprovalState.Pending, (string?)null), (a.Round, a.State, a.DecidedByUserId)));
            Assert.Equal(TimerFactory.For(step, planned, now).Select(t => (t.Kind, t.Sequence, t.Target, t.DueAtUtc)).Order(),
                timers.Where(t => t.StepInstanceId == step.Id).Select(t => (t.Kind, t.Sequence, t.Target, t.DueAtUtc)).Order());
        }

        Assert.True(timers.Count > 5000, $"{timers.Count} timers");
        Assert.All(timers, t => Assert.Equal(TimerState.Pending, t.State));
        Assert.Equal(0, await VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null));
        var started = await h.DbAsync(db => db.Journal.AsNoTracking().SingleAsync(j => j.CycleId == cycleId));
        Assert.Equal("CycleStarted", started.Action);
        Assert.Contains(changed, ids => ids.Contains(cycleId));
        Assert.Single(changed, ids => ids.Contains(cycleId)); // once, with the commit
    }

    [Fact]
    public async Task StartCycle_Late_OpensWhatIsDue_InTheBulkRows_WithTheirJournalAndNotices()
    {
        await using var h = await CreateHarnessAsync();
        h.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 1, 8, 0, 0, TimeSpan.Zero));
        var cycle = await StartAsync(h);

        var steps = await h.DbAsync(db => db.StepInstances.AsNoTracking().Where(s => s.CycleId == cycle.Id).ToListAsync());
        var opened = steps.Where(s => s.State == StepState.Opened).ToList();
        Assert.NotEmpty(opened);
        Assert.All(opened, s => Assert.Equal((1, (DateTime?)h.Clock.GetUtcNow().UtcDateTime), (s.Version, s.OpenedAtUtc)));
        var journal = await h.DbAsync(db => db.Journal.AsNoTracking().Where(j => j.CycleId == cycle.Id).OrderBy(j => j.Sequence).ToListAsync());
        Assert.Equal("CycleStarted", journal[0].Action);
        Assert.Equal(opened.Select(s => s.Id).Order(), journal.Skip(1).Where(j => j.StepInstanceId is not null).Select(j => j.StepInstanceId!.Value).Order());
        var notices = await h.DbAsync(db => db.OutboxMessages.AsNoTracking().Where(o => o.CycleId == cycle.Id && o.Kind == EmailKind.StepOpened).ToListAsync());
        Assert.NotEmpty(notices);
        Assert.All(notices, n => Assert.Contains(opened, s => s.Id == n.StepInstanceId));
        Assert.Equal(0, await VerifyJournalCommand.RunAsync(h.Services, TextWriter.Null));

        // The rows are the engine's from then on: a bulk-written step changes through the state changer like any other.
        var step = opened.First(s => s.Kind == StepKind.Task && ContributorsOf.ContainsKey(s.BodyId));
        var dto = await SubmitAsync(h, step);
        Assert.Contains(dto.State, new[] { nameof(StepState.Submitted), nameof(StepState.Completed) });
        Assert.True((await StepAsync(h, step.Key)).Version > step.Version);
    }
}

public sealed class CycleStartBulkSqliteTests : CycleStartBulkTests
{
    protected override Task<EngineHarness> CreateHarnessAsync() => EngineHarness.SqliteAsync();
}

public sealed class CycleStartBulkPostgreSqlTests : CycleStartBulkTests
{
    protected override async Task<EngineHarness> CreateHarnessAsync() => await EngineHarness.PostgreSqlAsync(await PostgresServer.CreateDatabaseAsync("bulk"));
}

/// <summary>The command texts EF Core sends for one context (from its diagnostic events, so parallel tests don't count).</summary>
internal sealed class EfCommands : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly DbContext _context;
    private readonly Action<string> _onCommand;
    private readonly List<IDisposable> _subscriptions = [];

    private EfCommands(DbContext context, Action<string> onCommand)
    {
        _context = context;
        _onCommand = onCommand;
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public static IDisposable Watch(DbContext context, Action<string> onCommand) => new EfCommands(context, onCommand);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData data && ReferenceEquals(data.Context, _context))
        {
            _onCommand(data.Command.CommandText);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
