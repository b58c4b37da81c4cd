using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace AnnualCycle.Runtime.Jobs;

/// <summary>
/// Hangfire's logging through the host's <see cref="ILoggerFactory"/>, which becomes silent instead of throwing
/// once that factory is disposed. Hangfire's log provider is process-wide, so a host that stopped must not break
/// Hangfire objects that live on in the same process.
/// </summary>
public sealed class DisposalSafeLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return SafeLog.Silent;
        }
    }

    private sealed class SafeLog(ILog? inner) : ILog
    {
        public static readonly SafeLog Silent = new(null);

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (inner is null)
            {
                return false;
            }

            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
