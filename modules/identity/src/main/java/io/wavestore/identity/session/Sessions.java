package io.wavestore.identity.session;

import io.wavestore.identity.Secrets;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser sessions in PostgreSQL. The browser holds a random session id in a cookie; the table holds its
 * SHA-256, the user's claims, the CSRF token and the provider's (encrypted) refresh token. When the provider's
 * access token has expired the session refreshes it, one replica at a time (the row is locked while it does).
 */
public final class Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);
    /** How long a session keeps its claims when the provider cannot be reached to refresh them. */
    static final Duration RETRY_REFRESH_AFTER = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final SessionDao dao;
    private final Clock clock;
    private final Duration ttl;

    public Sessions(Jdbi jdbi, Clock clock, Duration ttl) {
        this.jdbi = jdbi;
        this.dao = jdbi.onDemand(SessionDao.class);
        this.clock = clock;
        this.ttl = ttl;
    }

    /** What the provider said about the user: claims (JSON), tokens and when its access token expires. */
    public record Grant(String claims, Optional<String> sealedRefreshToken, Optional<String> idToken,
            Instant accessExpiresAt) {
        @Override
        public String toString() {
            return "Grant[accessExpiresAt=" + accessExpiresAt + "]";
        }
    }

    /** A new session: the raw id for the cookie (never stored) and the CSRF token. */
    public record Created(String id, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "Created[expiresAt=" + expiresAt + "]";
        }
    }

    /** A session in use; {@code refreshed} when this lookup renewed it at the provider. */
    public record Active(String userId, String claims, String csrfToken, Optional<String> idToken, boolean refreshed) {
        @Override
        public String toString() {
            return "Active[user=" + userId + "]";
        }
    }

    /** Refreshes the provider's tokens of a session: used when its access token has expired. */
    @FunctionalInterface
    public interface Refresher {
        /**
         * @param sealedRefreshToken the refresh token as stored (encrypted)
         * @param claims             the claims the session has now
         * @return the new grant; empty when the provider refused the refresh token (the user must sign in again)
         * @throws IOException when the provider cannot be reached or answers nonsense: try again later
         */
        Optional<Grant> refresh(String sealedRefreshToken, String claims) throws IOException;
    }

    /** Starts a session (and forgets expired ones of everyone: cheap with the index, and keeps the table small). */
    public Created create(String userId, Grant grant) {
        Instant now = clock.instant();
        dao.deleteExpired(now);
        String id = Secrets.random();
        String csrf = Secrets.random();
        Instant expires = now.plus(ttl);
        dao.insert(new SessionRow(Secrets.sha256(id), userId, grant.claims(), csrf,
                grant.sealedRefreshToken().orElse(null), grant.idToken().orElse(null), grant.accessExpiresAt(), now,
                expires));
        return new Created(id, csrf, expires);
    }

    /**
     * The session with this id, refreshed first when its access token has expired and it has a refresh token.
     * Empty when there is no such session, it has expired, or the provider refused to refresh it (then it is
     * deleted). A session without a refresh token lives until its own expiry with the claims of its sign-in.
     */
    public Optional<Active> find(String id, Refresher refresher) {
        String hash = Secrets.sha256(id);
        Instant now = clock.instant();
        Optional<SessionRow> row = dao.find(hash, now);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        if (row.get().accessExpiresAt().isAfter(now) || row.get().refreshToken() == null) {
            return row.map(Sessions::active);
        }
        return jdbi.inTransaction(handle -> {
            SessionDao locked = handle.attach(SessionDao.class);
            Optional<SessionRow> current = locked.lock(hash, clock.instant());
            if (current.isEmpty() || current.get().accessExpiresAt().isAfter(clock.instant())
                    || current.get().refreshToken() == null) {
                // Gone, or another replica refreshed it while this one waited for the lock.
                return current.map(Sessions::active);
            }
            SessionRow session = current.get();
            Optional<Grant> grant;
            try {
                grant = refresher.refresh(session.refreshToken(), session.claims());
            } catch (IOException e) {
                LOG.warn("cannot refresh the session of '{}' at the identity provider, keeping it as it is for {}: {}",
                        session.userId(), RETRY_REFRESH_AFTER, e.getMessage());
                locked.postponeRefresh(hash, clock.instant().plus(RETRY_REFRESH_AFTER));
                return Optional.of(active(session));
            }
            if (grant.isEmpty()) {
                LOG.info("the identity provider refused to refresh the session of '{}': signed out", session.userId());
                locked.delete(hash);
                return Optional.empty();
            }
            Grant g = grant.get();
            String refreshToken = g.sealedRefreshToken().orElse(session.refreshToken());
            String idToken = g.idToken().orElse(session.idToken());
            locked.refreshed(hash, g.claims(), refreshToken, idToken, g.accessExpiresAt());
            return Optional.of(new Active(session.userId(), g.claims(), session.csrfToken(), Optional.ofNullable(idToken),
                    true));
        });
    }

    /** The session without refreshing it: what sign-out needs. */
    public Optional<Active> peek(String id) {
        return dao.find(Secrets.sha256(id), clock.instant()).map(Sessions::active);
    }

    /** Ends the session; true when there was one. */
    public boolean delete(String id) {
        return dao.delete(Secrets.sha256(id)) > 0;
    }

    private static Active active(SessionRow row) {
        return new Active(row.userId(), row.claims(), row.csrfToken(), Optional.ofNullable(row.idToken()), false);
    }
}
