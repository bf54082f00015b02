package io.wavestore.bundle;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code [App]}: identity and catalog facts of the app. {@code title} defaults to {@code name} and
 * {@code description} to the empty string when app.toml leaves them out; {@code instanceLifecycle} defaults
 * to {@link InstanceLifecycle#ON_DEMAND}. {@code instanceTimeout} is empty when app.toml leaves it out (the store's
 * default applies) and {@link #TIMEOUT_OFF} for {@code InstanceTimeout = "-1"} (never suspended for idleness).
 */
public record AppSection(String name, String version, String title, String description,
                         Optional<String> longDescriptionPath, List<String> tags,
                         InstanceLifecycle instanceLifecycle, Optional<Duration> instanceTimeout) {
    /** {@code InstanceTimeout = "-1"}: the app's instances are never suspended for idleness (unless the store caps it). */
    public static final Duration TIMEOUT_OFF = Duration.ofSeconds(-1);

    public AppSection {
        tags = List.copyOf(tags);
    }
}
