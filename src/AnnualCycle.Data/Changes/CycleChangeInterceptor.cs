using System.Data.Common;
using System.Runtime.CompilerServices;
using AnnualCycle.Data.Cycles;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AnnualCycle.Data.Changes;

/// <summary>Collects the cycles a save touches (steps, cycles, journal entries) and hands them to the
/// <see cref="CycleChangeNotifier"/> once the save — or its transaction — has committed.</summary>
public sealed class CycleChangeInterceptor(CycleChangeNotifier notifier) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _saving = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Flush(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>The cycle a written row changes, as live views count it (a cycle, a step, a journal entry), or null.</summary>
    public static Guid? CycleOf(object row) => row switch
    {
        CycleEntity cycle => cycle.Id,
        StepInstanceEntity step => step.CycleId,
        JournalEntryEntity { CycleId: { } cycleId } => cycleId,
        _ => null,
    };

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var ids = new List<Guid>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (CycleOf(entry.Entity) is { } cycleId)
            {
                ids.Add(cycleId);
            }
        }

        lock (_saving)
        {
            _saving.AddOrUpdate(context, ids);
        }
    }

    private void Flush(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<Guid>? ids;
        lock (_saving)
        {
            if (_saving.TryGetValue(context, out ids))
            {
                _saving.Remove(context);
            }
        }

        if (ids is { Count: > 0 })
        {
            notifier.Saved(context, ids);
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        lock (_saving)
        {
            _saving.Remove(context);
        }
    }
}

/// <summary>Publishes a transaction's collected changes when it commits; drops them when it rolls back or fails.</summary>
public sealed class CycleChangeTransactionInterceptor(CycleChangeNotifier notifier) : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Tell(eventData.Context, notifier.Committed);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Tell(eventData.Context, notifier.Committed);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        Tell(eventData.Context, notifier.RolledBack);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Tell(eventData.Context, notifier.RolledBack);

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) =>
        Tell(eventData.Context, notifier.RolledBack);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) =>
        Tell(eventData.Context, notifier.RolledBack);

    /// <summary>A transaction begun on a bare connection has no context, and so nothing collected to publish or drop.</summary>
    private static Task Tell(DbContext? context, Action<DbContext> what)
    {
        if (context is not null)
        {
            what(context);
        }

        return Task.CompletedTask;
    }
}
