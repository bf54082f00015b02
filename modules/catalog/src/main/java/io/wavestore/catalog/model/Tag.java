package io.wavestore.catalog.model;

import java.time.Instant;
import java.util.Set;

/** A tag groups apps; its visitor roles let visitors with those roles see ALL_USERS apps that carry it. */
public record Tag(String name, String title, String color, String description, Set<String> visitorRoles, Instant createdAt) {
}
