package io.wavestore.identity.session;

import java.time.Instant;

/** A row of {@code sessions}. {@code refreshToken} is encrypted; {@code claims} is JSON. */
public record SessionRow(String idHash, String userId, String claims, String csrfToken, String refreshToken,
        String idToken, Instant accessExpiresAt, Instant createdAt, Instant expiresAt) {

    /** Never prints the tokens. */
    @Override
    public String toString() {
        return "SessionRow[user=" + userId + ", expiresAt=" + expiresAt + "]";
    }
}
