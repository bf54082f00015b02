package io.wavestore.server.alias;

import io.wavestore.router.alias.Alias;

import java.time.Instant;
import java.util.Optional;

/** A row of {@code aliases}. */
public record AliasRow(String name, String instanceId, boolean isPrimary, String createdBy, Instant createdAt,
        Instant updatedAt) {

    Alias toAlias() {
        return new Alias(name, Optional.ofNullable(instanceId), isPrimary, createdBy, createdAt, updatedAt);
    }
}
