namespace AnnualCycle.Runtime.Email;

/// <summary>
/// On SQLite (one writer at a time), the outbox dispatcher's own writes in this process take turns here before they
/// ask SQLite for its write lock: a claim of a batch and the Sent marks of the senders. A mark that finds a claim
/// writing then wakes the moment the claim commits, instead of in SQLite's busy handler, which polls the lock in
/// growing sleeps (1, 2, 5, 10 ms …) and so turned a claim's 4 ms into 8–18 ms of a stalled sender. Writers outside the
/// dispatcher (a request, a timer) still meet at SQLite's lock. Unused on PostgreSQL, where rows lock one by one.
/// </summary>
public sealed class OutboxWriteGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for the turn (asynchronously); disposing the result gives it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _turn.WaitAsync(ct);
        return new Turn(_turn);
    }

    /// <summary>Waits for the turn, blocking this thread (the marks' writer has one of its own); disposing the result gives it back.</summary>
    public IDisposable Enter(CancellationToken ct)
    {
        _turn.Wait(ct);
        return new Turn(_turn);
    }

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }
}
