package io.wavestore.scheduler;

import com.typesafe.config.Config;
import io.wavestore.bundle.AppSection;
import java.time.Duration;
import java.util.Optional;

/**
 * When an idle instance suspends itself: the {@code wavestore.scheduler.idle} block of the configuration, and the rule
 * that turns an app's {@code InstanceTimeout} into the timeout its instances get.
 *
 * @param defaultTimeout for apps whose app.toml has no {@code InstanceTimeout}; empty: never
 * @param maximum        the longest any instance may stay idle, whatever its app says ({@code -1} included); empty: none
 * @param checkInterval  how often an instance actor looks at its instance's last activity
 */
public record IdleSuspension(Optional<Duration> defaultTimeout, Optional<Duration> maximum, Duration checkInterval) {

    /** What {@code -1} means in the settings, as in app.toml: no timeout. */
    private static final String OFF = "-1";

    public static IdleSuspension from(Config idle) {
        return new IdleSuspension(optionalDuration(idle, "default-timeout"), optionalDuration(idle, "maximum-timeout"),
                idle.getDuration("check-interval"));
    }

    /** The timeout of an instance whose app says {@code appTimeout} (empty: app.toml has none); empty: never. */
    public Optional<Duration> effective(Optional<Duration> appTimeout) {
        Optional<Duration> wanted = appTimeout.isEmpty() ? defaultTimeout
                : appTimeout.get().equals(AppSection.TIMEOUT_OFF) ? Optional.empty() : appTimeout;
        if (maximum.isEmpty()) {
            return wanted;
        }
        return Optional.of(wanted.filter(d -> d.compareTo(maximum.get()) < 0).orElse(maximum.get()));
    }

    private static Optional<Duration> optionalDuration(Config c, String path) {
        if (c.getString(path).trim().equals(OFF)) {
            return Optional.empty();
        }
        Duration d = c.getDuration(path);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("wavestore.scheduler.idle." + path + " must be longer than zero, or -1 for none");
        }
        return Optional.of(d);
    }
}
