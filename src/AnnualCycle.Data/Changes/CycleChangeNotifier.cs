using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace AnnualCycle.Data.Changes;

/// <summary>
/// Tells live views (the dashboard, the årshjul, Mina uppgifter) that a cycle changed, after the change is
/// committed: whoever made it — the web UI, the API, a timer or another process's write seen here. Raised by
/// <see cref="CycleChangeInterceptor"/> from every save that touches a cycle, so no command can forget it.
/// </summary>
/// <remarks>In-process only: with several web servers, each one's views hear their own server's changes (and
/// timers), which is what a single Blazor Server instance needs.</remarks>
public sealed class CycleChangeNotifier(ILogger<CycleChangeNotifier>? logger = null)
{
    private readonly ConditionalWeakTable<DbContext, HashSet<Guid>> _pending = new();

    /// <summary>Raised once per committed save with the ids of the cycles it touched. Handlers must be quick and
    /// thread-safe (Blazor components: <c>InvokeAsync</c>); an exception in one handler never reaches the writer.</summary>
    public event Action<IReadOnlyCollection<Guid>>? Changed;

    /// <summary>Announces a change now (e.g. from code that writes outside EF Core).</summary>
    public void Publish(IReadOnlyCollection<Guid> cycleIds)
    {
        if (cycleIds.Count == 0 || Changed is not { } handlers)
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
