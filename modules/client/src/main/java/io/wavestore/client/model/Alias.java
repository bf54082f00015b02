package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A stable name for an instance; {@code url} is where browsers reach the instance through it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Alias(String name, String instance, boolean primary, String url, String createdBy, Instant createdAt,
        Instant updatedAt) {
}
