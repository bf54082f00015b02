package io.wavestore.bundle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code [App]}: identity and catalog facts of the app. {@code title} defaults to {@code name} and
 * {@code description} to the empty string when app.toml leaves them out; {@code instanceLifecycle} defaults
 * to {@link InstanceLifecycle#ON_DEMAND}.
 */
public record AppSection(String name, String version, String title, String description,
                         Optional<String> longDescriptionPath, List<String> tags,
                         InstanceLifecycle instanceLifecycle, Optional<Duration> instanceTimeout) {
    public AppSection {
        tags = List.copyOf(tags);
    }
}
