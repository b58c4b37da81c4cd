using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Data.Changes;

/// <summary>
/// Tells live views (the dashboard, the årshjul, Mina uppgifter) that a cycle changed, after the change is
/// committed: whoever made it — the web UI, the API, a timer or another process's write seen here. Raised by
/// <see cref="CycleChangeInterceptor"/> from every save that touches a cycle, so no command can forget it.
/// </summary>
/// <remarks>Several nodes on one PostgreSQL: a relay (the web host's <c>PostgresChangeRelay</c>) forwards what
/// <see cref="PublishedHere"/> raises to the other nodes with <c>NOTIFY</c> and hands what it hears from them to
/// <see cref="PublishFromAnotherNode"/>, so every node's views hear every node's changes. One process (SQLite) needs
/// no relay.</remarks>
public sealed class CycleChangeNotifier(ILogger<CycleChangeNotifier>? logger = null)
{
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _pending = new();

    /// <summary>Raised once per committed save with the ids of the cycles it touched, whichever node saved it. Handlers
    /// must be quick and thread-safe (Blazor components: <c>InvokeAsync</c>); an exception in one handler never reaches the writer.</summary>
    public event Action<IReadOnlyCollection<Guid>>? Changed;

    /// <summary>Raised for the changes this process committed (not those relayed from other nodes): what a relay sends on.</summary>
    public event Action<IReadOnlyCollection<Guid>>? PublishedHere;

    /// <summary>Announces a change made here now (e.g. from code that writes outside EF Core).</summary>
    public void Publish(IReadOnlyCollection<Guid> cycleIds)
    {
        Raise(Changed, cycleIds);
        Raise(PublishedHere, cycleIds);
    }

    /// <summary>Announces to this process's views a change another node committed (its relay heard it).</summary>
    public void PublishFromAnotherNode(IReadOnlyCollection<Guid> cycleIds) => Raise(Changed, cycleIds);

    private void Raise(Action<IReadOnlyCollection<Guid>>? handlers, IReadOnlyCollection<Guid> cycleIds)
    {
        if (cycleIds.Count == 0 || handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<IReadOnlyCollection<Guid>>>())
        {
            try
            {
                handler(cycleIds);
            }
            catch (Exception ex)
            {
                logger?.LogWarning(ex, "A cycle-change listener failed.");
            }
        }
    }

    /// <summary>
    /// A save of <paramref name="context"/> touched <paramref name="cycleIds"/>: published now, or with its transaction's
    /// commit (once per cycle however often it is told). Called by <see cref="CycleChangeInterceptor"/> for EF Core's
    /// saves and by the engine for the rows it writes in bulk outside EF Core's change tracking.
    /// </summary>
    public void Saved(DbContext context, IEnumerable<Guid> cycleIds)
    {
        var ids = cycleIds.ToHashSet();
        if (ids.Count == 0)
        {
            return;
        }

        if (context.Database.CurrentTransaction is null)
        {
            Publish(ids);
            return;
        }

        lock (_pending)
        {
            _pending.GetOrCreateValue(context).UnionWith(ids);
        }
    }

    internal void Committed(DbContext context)
    {
        HashSet<Guid>? ids;
        lock (_pending)
        {
            if (_pending.TryGetValue(context, out ids))
            {
                _pending.Remove(context);
            }
        }

        if (ids is not null)
        {
            Publish(ids);
        }
    }

    internal void RolledBack(DbContext context)
    {
        lock (_pending)
        {
            _pending.Remove(context);
        }
    }
}
