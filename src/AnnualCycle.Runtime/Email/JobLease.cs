using AnnualCycle.Data;
using AnnualCycle.Data.Cycles;
using AnnualCycle.Runtime.Cycles;
using Microsoft.EntityFrameworkCore;

namespace AnnualCycle.Runtime.Email;

/// <summary>
/// A lease row in the database, so that at most one run of a job is at work at a time across every instance of the
/// service (an in-process lock would not see the other instances). Taken with a conditional update — only when free,
/// expired or already ours — and given back at the end. A holder that crashed loses it when it expires.
/// </summary>
public sealed class JobLease(IDbContextFactory<AnnualCycleDbContext> contexts, TimeProvider clock)
{
    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/>; false when someone else holds it.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + duration;
        var taken = await db.JobLeases
            .Where(l => l.Name == name && (l.ExpiresAtUtc <= now || l.Holder == holder))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAtUtc, until), ct);
        if (taken > 0)
        {
            return true;
        }

        if (await db.JobLeases.AsNoTracking().AnyAsync(l => l.Name == name, ct))
        {
            return false;
        }

        try
        {
            db.JobLeases.Add(new JobLeaseEntity { Name = name, Holder = holder, ExpiresAtUtc = until });
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (EngineWork.IsUniqueViolation(ex))
        {
            return false; // another instance created the row first: it holds the lease
        }
    }

    /// <summary>Gives the lease back, if <paramref name="holder"/> still holds it.</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var free = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAtUtc, free), ct);
    }
}
