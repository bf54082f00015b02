package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A personal API token; {@code token} itself is only in the answer to its creation. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiToken(String id, String name, String hint, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
        String token) {

    @Override
    public String toString() {
        return "ApiToken[id=" + id + ", name=" + name + ", hint=" + hint + "]";
    }
}
