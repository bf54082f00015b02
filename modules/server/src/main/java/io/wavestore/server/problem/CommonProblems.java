package io.wavestore.server.problem;

import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.CsrfException;
import io.wavestore.identity.CsrfGuard;
import io.wavestore.identity.DatabaseOutage;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The problems every API answers the same way (who the caller is, CSRF, time-outs, a database outage, anything
 * unexpected); each API's
 * own mapping handles its own exceptions first and leaves the rest to {@link #toProblem(Throwable)}.
 */
public final class CommonProblems {

    private static final Logger LOG = LoggerFactory.getLogger(CommonProblems.class);
    private static final long OUTAGE_LOG_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private static final java.util.concurrent.atomic.AtomicLong lastOutageLogged =
            new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS - 1);

    private CommonProblems() {
    }

    /** Finds the error that says what happened under the wrappers of futures and streams. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException
                || e instanceof org.apache.pekko.stream.IOOperationIncompleteException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** @param e an unwrapped error that the API's own mapping does not know */
    public static Problem toProblem(Throwable e) {
        if (e instanceof ProblemException refused) {
            return refused.problem();
        }
        if (e instanceof AuthenticationException auth && auth.invalidHeader().isPresent()) {
            return Problem.of("invalid-header", "Invalid header", 400, auth.getMessage(), auth.invalidHeader().get());
        }
        if (e instanceof AuthenticationException auth) {
            return Problem.of("unauthenticated", "Not authenticated", 401, auth.getMessage(), null);
        }
        if (e instanceof CsrfException csrf) {
            return Problem.of("csrf", "CSRF token missing or wrong", 403, csrf.getMessage(), CsrfGuard.HEADER);
        }
        if (e instanceof TimeoutException || e instanceof org.apache.pekko.pattern.AskTimeoutException) {
            return Problem.of("timeout", "Timed out", 503, "the store did not answer in time; try again", null);
        }
        if (DatabaseOutage.causedBy(e)) {
            // Every request says so during an outage: one line every few seconds is enough to follow it.
            long now = System.nanoTime();
            long last = lastOutageLogged.get();
            if (now - last > OUTAGE_LOG_INTERVAL_NANOS && lastOutageLogged.compareAndSet(last, now)) {
                LOG.warn("the database is unavailable, requests answer 503 database-unavailable: {}", e.toString());
            }
            return Problem.of("database-unavailable", "Database unavailable", 503,
                    "the store cannot reach its database right now; try again in a few seconds", null);
        }
        LOG.error("unexpected error while serving a request", e);
        return Problem.of("internal-error", "Internal error", 500,
                "something went wrong on the server; the store's log has the details", null);
    }
}
