package io.wavestore.scheduler.helm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The node directory the instance pods of a node share as their dependency cache (the launcher's
 * {@code WAVESTORE_DEPENDENCY_CACHE}): environments built once per (requirements.txt, Python) and uv's downloads.
 *
 * @param hostPath the directory on each node; empty: no shared cache (a namespace enforcing the baseline Pod Security
 *                 Standard refuses hostPath volumes)
 * @param maxSize  the bound the launchers keep it under, least recently used first ({@code 10GiB})
 */
public record DependencyCacheVolume(String hostPath, String maxSize) {

    public DependencyCacheVolume {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(maxSize, "maxSize");
    }

    /** The chart's own default. */
    public static DependencyCacheVolume defaults() {
        return new DependencyCacheVolume("/var/cache/wavestore/dependencies", "10GiB");
    }

    /** The chart's {@code dependencyCache} values. */
    Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("enabled", !hostPath.isEmpty());
        values.put("hostPath", hostPath);
        values.put("maxSize", maxSize);
        return values;
    }
}
