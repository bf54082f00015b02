package io.wavestore.catalog.db;

import java.time.Instant;

/** A row of {@code tags}. */
public record TagRow(String name, String title, String color, String description, String[] visitorRoles, Instant createdAt) {
}
