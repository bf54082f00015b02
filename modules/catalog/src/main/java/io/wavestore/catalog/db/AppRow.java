package io.wavestore.catalog.db;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code apps}. {@code longDescription} may be null. */
public record AppRow(
        UUID id,
        String name,
        String version,
        String versionKey,
        String title,
        String description,
        String longDescription,
        String ownerId,
        String visibility,
        String lifecycle,
        String manifest,
        String bundleDigest,
        long bundleSize,
        Instant createdAt) {
}
