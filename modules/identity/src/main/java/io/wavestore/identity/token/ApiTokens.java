package io.wavestore.identity.token;

import io.wavestore.identity.Caller;
import io.wavestore.identity.Role;
import io.wavestore.identity.Secrets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Personal API tokens: a user creates, lists and revokes their own; the CLI and scripts send one as
 * {@code Authorization: Bearer wst_...}. A token is 256 random bits after the {@value #PREFIX} prefix; the
 * database keeps its SHA-256 only, so the raw token exists once, in the answer to its creation.
 */
public final class ApiTokens {

    public static final String PREFIX = "wst_";
    public static final int MAX_PER_USER = 100;
    private static final int HINT_LENGTH = PREFIX.length() + 6;

    private final ApiTokenDao dao;
    private final Clock clock;
    private final boolean development;

    /**
     * @param development true under the development identity: tokens are marked as such, and only then are such
     *                    tokens accepted (a token minted by anyone claiming to be an admin must not outlive it)
     */
    public ApiTokens(Jdbi jdbi, Clock clock, boolean development) {
        this.dao = jdbi.onDemand(ApiTokenDao.class);
        this.clock = clock;
        this.development = development;
    }

    /** A token just created: its record, and the raw token that is never shown again. */
    public record Issued(ApiTokenRow row, String token) {
        @Override
        public String toString() {
            return "Issued[" + row.id() + "]";
        }
    }

    public static boolean isApiToken(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    /**
     * @throws ApiTokenException when the name or expiry is not acceptable, or the user has too many tokens
     */
    public Issued create(Caller owner, String name, Optional<Instant> expiresAt) {
        if (!owner.signedIn()) {
            throw new IllegalArgumentException("anonymous callers have no tokens");
        }
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100 || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new ApiTokenException("name", "name must be 1-100 characters without control characters");
        }
        Instant now = clock.instant();
        if (expiresAt.isPresent() && !expiresAt.get().isAfter(now)) {
            throw new ApiTokenException("expiresAt", "expiresAt must be in the future");
        }
        if (dao.count(owner.id()) >= MAX_PER_USER) {
            throw new ApiTokenException(null, "a user has at most " + MAX_PER_USER + " API tokens; revoke some first");
        }
        String token = PREFIX + Secrets.random();
        ApiTokenRow row = new ApiTokenRow(UUID.randomUUID(), owner.id(), trimmed, token.substring(0, HINT_LENGTH),
                owner.name(), owner.role().name(), sorted(owner.claimRoles()), sorted(owner.groups()), development,
                now, null, expiresAt.orElse(null));
        dao.insert(row, Secrets.sha256(token));
        return new Issued(row, token);
    }

    public List<ApiTokenRow> list(String userId) {
        return dao.list(userId);
    }

    /** @return false when the user has no such token */
    public boolean revoke(String userId, UUID id) {
        return dao.delete(id, userId) > 0;
    }

    /** The caller a token acts as, or empty when it is unknown, revoked or expired. Records the use. */
    public Optional<Caller> resolve(String token) {
        Instant now = clock.instant();
        Optional<ApiTokenRow> row = dao.findValid(Secrets.sha256(token), now)
                .filter(r -> r.development() == development);
        row.ifPresent(r -> dao.touch(r.id(), now));
        return row.map(r -> new Caller(r.userId(), r.userName(), Role.valueOf(r.role()), Set.of(r.claimRoles()),
                Set.of(r.groups()), r.development()));
    }

    /** The user signed in again: their tokens now act with the roles and groups they have now. */
    public void refreshOwner(Caller caller) {
        if (caller.signedIn() && !caller.development()) {
            dao.refreshOwner(caller.id(), caller.name(), caller.role().name(), sorted(caller.claimRoles()),
                    sorted(caller.groups()));
        }
    }

    private static String[] sorted(Set<String> values) {
        return values.stream().sorted().toArray(String[]::new);
    }
}
