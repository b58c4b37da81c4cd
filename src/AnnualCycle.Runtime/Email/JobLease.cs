using System.Diagnostics;
using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// Who holds a lease: this service instance (configuration <c>Instance:Id</c>, by default the machine name), this
/// process and this start of it. Written into the lease row as <c>{instance}/{pid}/{incarnation}/{token}</c>, so that
/// an instance started again on the same machine recognises a lease left by its own dead predecessor and takes it at
/// once instead of waiting for it to expire.
/// </summary>
public sealed class LeaseOwner
{
    /// <summary>This process's start: different for every run of the service, even one with the same pid (a container's pid 1).</summary>
    private static readonly string ThisIncarnation = Guid.NewGuid().ToString("N")[..12];

    public LeaseOwner(string? instanceId = null)
    {
        var id = string.IsNullOrWhiteSpace(instanceId) ? Environment.MachineName : instanceId.Trim();
        InstanceId = new string(id.Where(c => c != '/').Take(40).ToArray());
    }

    /// <summary>From configuration <c>Instance:Id</c>; each node of a deployment needs its own (the machine name by default).</summary>
    public static LeaseOwner From(IConfiguration configuration) => new(configuration["Instance:Id"]);

    public string InstanceId { get; }

    public int ProcessId { get; } = Environment.ProcessId;

    public string Incarnation => ThisIncarnation;

    /// <summary>The holder text of one hold of a lease by this process.</summary>
    public string Holder(Guid token) => $"{InstanceId}/{ProcessId}/{Incarnation}/{token:N}";

    /// <summary>
    /// True when <paramref name="holder"/> was written by an earlier start of this same instance that cannot still be
    /// running: the same instance id and another incarnation, and its process is gone (or its pid is now ours).
    /// Holders in any other form (another instance, a hand-written holder) are never taken for dead here: they expire.
    /// </summary>
    public bool IsDeadPredecessor(string? holder)
    {
        if (ParsedHolder.TryParse(holder) is not { } parsed || parsed.Instance != InstanceId || parsed.Incarnation == Incarnation)
        {
            return false;
        }

        return parsed.ProcessId == ProcessId || !ProcessIsRunning(parsed.ProcessId);
    }

    private static bool ProcessIsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A holder text taken apart; null when it is not in <see cref="Holder"/>'s form.</summary>
    public sealed record ParsedHolder(string Instance, int ProcessId, string Incarnation, Guid Token)
    {
        public static ParsedHolder? TryParse(string? holder)
        {
            var parts = holder?.Split('/');
            return parts is { Length: 4 } && int.TryParse(parts[1], out var pid) && Guid.TryParseExact(parts[3], "N", out var token)
                ? new ParsedHolder(parts[0], pid, parts[2], token)
                : null;
        }
    }
}

/// <summary>
/// A lease row in the database, so that at most one run of a job is at work at a time across every instance of the
/// service (an in-process lock would not see the other instances). Taken with a compare-and-set on the holder — only
/// when free, expired, already ours, or left by this instance's own dead predecessor — and given back at the end.
/// <see cref="TryHoldAsync"/> keeps a short lease alive with a heartbeat, so a holder that died loses it within
/// <see cref="HeartbeatTtl"/> instead of a long fixed duration.
/// </summary>
public sealed class JobLease(IDbContextFactory<AnnualCycleDbContext> contexts, TimeProvider clock, LeaseOwner? owner = null, ILogger<JobLease>? logger = null)
{
    /// <summary>How long a held lease stays valid without a heartbeat: a dead holder's lease is free after at most this.</summary>
    public static readonly TimeSpan HeartbeatTtl = TimeSpan.FromSeconds(15);

    /// <summary>How often a holder renews: three chances before <see cref="HeartbeatTtl"/> runs out.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private readonly LeaseOwner _owner = owner ?? new LeaseOwner();
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public LeaseOwner Owner => _owner;

    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/>; false when someone else holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct = default) =>
        await TryTakeAsync(name, holder, duration, ct) is not null;

    /// <summary>
    /// Takes the lease and keeps it with a heartbeat until the returned hold is disposed; null when another live
    /// holder has it. The hold says whose unreleased lease it took over (<see cref="LeaseHold.TookOverFrom"/>), so the
    /// caller can recover what that dead run left half done.
    /// </summary>
    public async Task<LeaseHold?> TryHoldAsync(string name, CancellationToken ct = default)
    {
        var token = Guid.NewGuid();
        var holder = _owner.Holder(token);
        var previous = await TryTakeAsync(name, holder, HeartbeatTtl, ct);
        if (previous is null)
        {
            return null;
        }

        var tookOver = previous.Value.Holder is { } old && old != holder ? LeaseOwner.ParsedHolder.TryParse(old) : null;
        return new LeaseHold(this, name, holder, token, tookOver);
    }

    /// <summary>
    /// At start-up: expires every lease left by an earlier start of this instance whose process is gone, so its jobs
    /// run again at once. The holder text is kept, so the next taker still learns whose work to recover.
    /// Returns the names of the leases freed.
    /// </summary>
    public async Task<IReadOnlyList<string>> ExpirePredecessorsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var prefix = _owner.InstanceId + "/";
        var mine = await db.JobLeases.AsNoTracking().Where(l => l.Holder != null && l.Holder.StartsWith(prefix)).ToListAsync(ct);
        var freed = new List<string>();
        var expired = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        foreach (var lease in mine.Where(l => _owner.IsDeadPredecessor(l.Holder)))
        {
            var changed = await db.JobLeases.Where(l => l.Name == lease.Name && l.Holder == lease.Holder)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAtUtc, expired), ct);
            if (changed > 0)
            {
                freed.Add(lease.Name);
                _logger.LogInformation("Lease {Lease} of a previous start of this instance ({Holder}) expired at start-up", lease.Name, lease.Holder);
            }
        }

        return freed;
    }

    /// <summary>Gives the lease back, if <paramref name="holder"/> still holds it.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var free = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAtUtc, free), ct);
    }

    /// <summary>Renews a held lease; false when it is no longer ours (someone took it after it expired).</summary>
    internal async Task<bool> RenewAsync(string name, string holder, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var until = clock.GetUtcNow().UtcDateTime + HeartbeatTtl;
        return await db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAtUtc, until), ct) > 0;
    }

    internal TimeProvider Clock => clock;

    internal ILogger Logger => _logger;

    /// <summary>Null when not taken; else the row's holder before (null when the lease was free or new).</summary>
    private async Task<(string? Holder, bool Taken)?> TryTakeAsync(string name, string holder, TimeSpan duration, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + duration;
        var current = await db.JobLeases.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, ct);
        if (current is null)
        {
            try
            {
                db.JobLeases.Add(new JobLeaseEntity { Name = name, Holder = holder, ExpiresAtUtc = until });
                await db.SaveChangesAsync(ct);
                return (null, true);
            }
            catch (DbUpdateException ex) when (EngineWork.IsUniqueViolation(ex))
            {
                return null; // another instance created the row first: it holds the lease
            }
        }

        // Free without looking at the time: nobody holds it, we do, or our own dead predecessor does (it cannot renew).
        var freeAnyway = current.Holder is null || current.Holder == holder || _owner.IsDeadPredecessor(current.Holder);
        if (!freeAnyway && current.ExpiresAtUtc > now)
        {
            return null;
        }

        // Compare-and-set on the holder we read (and, for an expired one, on its still being expired: a late renewal
        // by a live holder wins): if anyone took or renewed it meanwhile, this changes nothing.
        var previous = current.Holder;
        var taken = await db.JobLeases
            .Where(l => l.Name == name && l.Holder == previous && (freeAnyway || l.ExpiresAtUtc <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAtUtc, until), ct);
        if (taken == 0)
        {
            return null;
        }

        if (previous is not null && previous != holder && current.ExpiresAtUtc > now)
        {
            _logger.LogInformation("Lease {Lease} taken over from a dead previous start of this instance ({Holder})", name, previous);
        }

        return (previous, true);
    }
}

/// <summary>
/// A lease held with a heartbeat (<see cref="JobLease.TryHoldAsync"/>). <see cref="Lost"/> is cancelled when a renewal
/// finds the lease taken by someone else, so the holder stops before doing more. Disposing stops the heartbeat and
/// gives the lease back.
/// </summary>
public sealed class LeaseHold : IAsyncDisposable
{
    private readonly JobLease _lease;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _beat;
    private readonly Task _heartbeat;

    internal LeaseHold(JobLease lease, string name, string holder, Guid token, LeaseOwner.ParsedHolder? tookOverFrom)
    {
        _lease = lease;
        Name = name;
        Holder = holder;
        Token = token;
        TookOverFrom = tookOverFrom;
        // Started here, not in the loop: the first beat is counted from the moment the lease was taken.
        _beat = new PeriodicTimer(JobLease.HeartbeatInterval, lease.Clock);
        _heartbeat = Task.Run(HeartbeatAsync);
    }

    public string Name { get; }

    public string Holder { get; }

    /// <summary>Unique to this hold: a job may stamp its work with it, so the next holder can find what a dead one left.</summary>
    public Guid Token { get; }

    /// <summary>The holder whose lease this hold took without it being given back (it died or stalled), when known.</summary>
    public LeaseOwner.ParsedHolder? TookOverFrom { get; }

    /// <summary>Cancelled when the lease was found in someone else's hands.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>False to let the lease expire instead of giving it back: the holder left work that the next holder must recover by <see cref="Token"/>.</summary>
    public bool ReleaseOnDispose { get; set; } = true;

    private async Task HeartbeatAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!await _beat.WaitForNextTickAsync(_stop.Token))
                {
                    return;
                }

                if (!await _lease.RenewAsync(Name, Holder, _stop.Token))
                {
                    _lease.Logger.LogWarning("Lease {Lease} was taken by another holder; {Holder} stops", Name, Holder);
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is away (a restart): keep trying. Nobody else can take the lease while it is away;
                // when it is back the next renewal either keeps it or finds it lost.
                _lease.Logger.LogWarning("Lease {Lease} heartbeat failed: {Error}", Name, ex.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _heartbeat;
        _beat.Dispose();
        try
        {
            if (ReleaseOnDispose)
            {
                await _lease.ReleaseAsync(Name, Holder, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not given back (the database is away): it expires after the heartbeat TTL.
            _lease.Logger.LogWarning("Lease {Lease} could not be given back: {Error}", Name, ex.Message);
        }

        _stop.Dispose();
        _lost.Dispose();
    }
}
