package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * A stored secret as the store shows it: its name, scope, owner, the app an APP secret is bound to, and its keys.
 * The store never sends a value back, so there is none here.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Secret(String id, String name, SecretScope scope, String owner, String app, List<String> keys,
        Instant createdAt, Instant updatedAt, String url) {

    public Secret {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
