namespace AnnualCycle.Runtime.Email;

/// <summary>The handle of one asked-for Sent mark: what a sender waits on before its next content.</summary>
public sealed partial class OutboxSentMarks
{
    /// <summary>One row's mark: <see cref="Marked"/> answers whether it was recorded; <see cref="Committed"/> completes only when it was (faulted when the row was taken over, cancelled when not recorded).</summary>
    public sealed class Mark
    {
        internal Mark(Guid id, Guid token, DateTime sentAtUtc, int? statusCode, CancellationToken cancel, Action<bool>? onMarked)
        {
            (Id, Token, SentAtUtc, StatusCode, Cancel, OnMarked) = (id, token, sentAtUtc, statusCode, cancel, onMarked);
        }

        internal Guid Id { get; }

        internal Guid Token { get; }

        internal DateTime SentAtUtc { get; }

        internal int? StatusCode { get; }

        internal CancellationToken Cancel { get; }

        internal Action<bool>? OnMarked { get; }

        private readonly TaskCompletionSource<bool> _marked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>True when recorded Sent; false when the row was no longer Sending under the run's token.</summary>
        public Task<bool> Marked => _marked.Task;

        /// <summary>
        /// Completes when the mark is committed; faulted when the row was taken over, cancelled when it was not recorded.
        /// A blocking wait on it wakes as soon as the writer completes it, with no hop through the thread pool.
        /// </summary>
        public Task Committed => _committed.Task;

        /// <summary>When the mark was committed (a <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), 0 until then.</summary>
        public long CommittedAt { get; private set; }

        internal void Complete(bool marked)
        {
            CommittedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            _marked.TrySetResult(marked);
            if (marked)
            {
                _committed.TrySetResult();
            }
            else
            {
                _committed.TrySetException(new InvalidOperationException("The row was taken over by another run before it could be marked Sent."));
            }
        }

        internal void Cancelled(Exception? because = null)
        {
            if (because is not null)
            {
                _marked.TrySetException(because);
                _committed.TrySetException(because);
                return;
            }

            _marked.TrySetCanceled(Cancel);
            _committed.TrySetCanceled(Cancel);
        }
    }
}
