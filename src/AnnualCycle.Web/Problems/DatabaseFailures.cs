using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnualCycle.Web.Problems;

/// <summary>
/// The database failures a user can cause or meet that are not bugs: the database cannot answer right now
/// (<see cref="Unavailable"/>: 503 with <c>Retry-After</c>), another write got there first (<see cref="LostRace"/>: 409)
/// and a value it cannot store (<see cref="BadValue"/>: 400). Both look through wrappers (EF Core's <c>DbUpdateException</c> and retry exceptions,
/// Hangfire's job-client exception, <see cref="AggregateException"/>), since the failure arrives wrapped as often as not.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>Seconds a client is asked to wait: about what a PostgreSQL restart or fail-over takes.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// PostgreSQL unreachable, shutting down, restarting or out of connections (SQLSTATE classes 08, 53, 57P, 58), a
    /// socket failure or timeout on the way to it (any <see cref="NpgsqlException"/> that is no server answer: Npgsql
    /// wraps the <c>SocketException</c> or <c>TimeoutException</c>), or SQLite busy or locked.
    /// </summary>
    public static bool Unavailable(Exception exception) => Find(exception, e => e switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || pg.SqlState.StartsWith("58", StringComparison.Ordinal),
        NpgsqlException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6, // SQLITE_BUSY, SQLITE_LOCKED
        _ => (bool?)null,
    });

    /// <summary>
    /// A concurrency token that no longer matched, a serialization failure or deadlock (40001, 40P01), or a unique key
    /// another write took first (23505; SQLite's constraint error 19): the request was fine, someone else was first.
    /// </summary>
    public static bool LostRace(Exception exception) => Find(exception, e => e switch
    {
        DbUpdateConcurrencyException => true,
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555, // UNIQUE, PRIMARY KEY
        NpgsqlException => false,
        _ => (bool?)null,
    });

    /// <summary>
    /// A value the database cannot store as sent (SQLSTATE class 22, data exception: a NUL character in text, a number
    /// or date out of the column's range, a text longer than its column): the request is at fault (400). Returns the
    /// server's own sentence, which names the value's problem and nothing about the server.
    /// </summary>
    public static string? BadValue(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg && pg.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                return pg.MessageText;
            }
        }

        return null;
    }

    /// <summary>The first verdict along the chain of causes: true or false decides, null looks at the inner exception.</summary>
    private static bool Find(Exception? exception, Func<Exception, bool?> verdict)
    {
        for (var depth = 0; depth < 16 && exception is not null; depth++)
        {
            if (verdict(exception) is { } decided)
            {
                return decided;
            }

            exception = exception is AggregateException { InnerExceptions.Count: > 0 } aggregate ? aggregate.InnerExceptions[0] : exception.InnerException;
        }

        return false;
    }
}
