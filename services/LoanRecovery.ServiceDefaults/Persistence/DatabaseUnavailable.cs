using Npgsql;

namespace LoanRecovery.ServiceDefaults.Persistence;

/// <summary>Tells a failure of the database itself (down, restarting, unreachable, out of connections) from a failure of the work.</summary>
public static class DatabaseUnavailable
{
    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, says the database could not be reached or ended the session:
    /// a connection-level error (socket, I/O, timeout), PostgreSQL's connection exceptions (class 08), an administrator or
    /// crash shutdown or a server that cannot accept connections yet (57P01–57P03), or too many connections (53300).
    /// Conflicts between transactions (deadlocks, serialization failures) are not: they are the work's, and retried as such.
    /// </summary>
    public static bool Is(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                                                     || postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300":
                    return true;
                case PostgresException:
                    return false;
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }
        return false;
    }
}
