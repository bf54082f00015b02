package io.wavestore.catalog.db;

import java.util.UUID;

/** A row of {@code app_images}: kind is {@code icon} or {@code screenshot}. */
public record ImageRow(UUID appId, String kind, int position, String digest, String mediaType, long size, int width, int height) {
}
