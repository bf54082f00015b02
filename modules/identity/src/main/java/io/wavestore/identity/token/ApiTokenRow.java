package io.wavestore.identity.token;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code api_tokens}, without the token's hash. */
public record ApiTokenRow(UUID id, String userId, String name, String hint, String userName, String role,
        String[] claimRoles, String[] groups, boolean development, Instant createdAt, Instant lastUsedAt,
        Instant expiresAt) {
}
