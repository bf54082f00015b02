package io.wavestore.identity;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether an error means the database cannot be reached right now (down, restarting, unreachable), as opposed to
 * a wrong query or a broken rule: the first is worth trying again soon (503), the second is a bug (500). Decided
 * from the JDBC errors under whatever wraps them (JDBI, the pool, futures), so the catalog, sessions and API tokens
 * are all judged alike. It lives with the identity because both the store's API and the router ask it about the
 * same failure: the sessions and API tokens that say who a caller is could not be read.
 */
public final class DatabaseOutage {

    /**
     * PostgreSQL's SQLSTATEs of a server that is going away or not accepting connections yet: admin shutdown,
     * crash shutdown, cannot connect now (starting up, in recovery); the whole class 08 (connection exceptions)
     * is checked by prefix.
     */
    private static final Set<String> SERVER_GOING_OR_COMING = Set.of("57P01", "57P02", "57P03");

    /** How long clients are told to wait before they try again ({@code Retry-After}) while the database is away. */
    public static final long RETRY_AFTER_SECONDS = 5;

    private DatabaseOutage() {
    }

    public static boolean causedBy(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            // The pool's answer when no connection could be had in time.
            if (e instanceof SQLTransientConnectionException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GOING_OR_COMING.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
