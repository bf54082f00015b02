package io.wavestore.catalog.model;

import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.identity.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One immutable version of an app in the catalog. Only {@code visibility} and {@code tags} ever change.
 *
 * @param manifestJson the validated app.toml as JSON (runtime spec, env, files, link)
 */
public record AppVersion(
        UUID id,
        String name,
        String version,
        String title,
        String description,
        Optional<String> longDescription,
        String ownerId,
        Visibility visibility,
        InstanceLifecycle lifecycle,
        String manifestJson,
        String bundleDigest,
        long bundleSize,
        Instant createdAt,
        List<String> tags,
        Optional<AppImage> icon,
        List<AppImage> screenshots) {
}
