package io.wavestore.server.problem;

import io.wavestore.bundle.CodedException;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.CsrfException;
import io.wavestore.identity.CsrfGuard;
import io.wavestore.identity.DatabaseOutage;
import io.wavestore.identity.IdentityProviderUnavailableException;
import io.wavestore.identity.oidc.SignInException;
import io.wavestore.identity.token.ApiTokenException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever went wrong into the problem the client sees: the one place, for every API of the store. A module's
 * own refusals say what they are through {@link CodedException} (code, title, status, field); the rest are the
 * identity's, pekko-http's, time-outs, a database outage, and anything unexpected.
 */
public final class ProblemMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);
    private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final AtomicLong lastOutageLogged = new AtomicLong(System.nanoTime() - OUTAGE_LOG_INTERVAL_NANOS - 1);

    private ProblemMapping() {
    }

    public static Problem toProblem(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ProblemException refused) {
            return refused.problem();
        }
        if (e instanceof CodedException coded) {
            return Problem.of(coded.error().code(), coded.error().title(), coded.error().status(), coded.getMessage(),
                            coded.field().orElse(null))
                    .withErrors(coded.violations().stream()
                            .map(v -> new Problem.FieldError(v.field(), v.message()))
                            .toList());
        }
        if (e instanceof IdentityProviderUnavailableException provider) {
            LOG.warn("identity provider unavailable: {}", provider.getMessage());
            return Problem.of("identity-provider-unavailable", "Identity provider unavailable", 503,
                    "the store cannot reach its identity provider to check who you are; try again later", null);
        }
        if (e instanceof SignInException signIn) {
            return switch (signIn.reason()) {
                case INVALID_STATE -> Problem.of("sign-in-state-invalid", "Sign-in not recognised", 400,
                        signIn.getMessage(), "state");
                case PROVIDER_REFUSED, TOKEN_REJECTED -> Problem.of("sign-in-failed", "Sign-in failed", 401,
                        signIn.getMessage(), null);
            };
        }
        if (e instanceof ApiTokenException token) {
            return token.field() == null
                    ? Problem.of("too-many-tokens", "Too many API tokens", 409, token.getMessage(), null)
                    : Problem.of("invalid-field", "Invalid field", 422, token.getMessage(), token.field());
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
        if (e instanceof EntityStreamSizeException size) {
            return Problem.of("payload-too-large", "Upload too large", 413,
                    "the upload is larger than the limit of " + size.limit() + " bytes (wavestore.upload.max-bytes)", null);
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

    /** Finds the error that says what happened under the wrappers of futures and streams. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException
                || e instanceof org.apache.pekko.stream.IOOperationIncompleteException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
