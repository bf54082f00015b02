package io.wavestore.scheduler.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the local runtime runs launchers.
 *
 * @param root            where instances live: {@code <root>/<id>/} holds the record, the app, its venv and log
 * @param launcherCommand the command that starts a launcher, e.g. {@code [java, -cp, ..., io.wavestore.launcher.Main]}
 * @param extraEnv        environment every launcher gets on top of the store's (pip index settings, a pip cache)
 * @param stopGrace       how long a launcher gets to stop its children before it is killed
 * @param pollInterval    how often the watch looks at processes and readiness
 * @param storeUrl        where launchers this process starts reach the store (its public URL, no trailing slash);
 *                        empty: the URLs in the instance's spec as they are
 */
public record LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
        Duration pollInterval, Optional<String> storeUrl) {

    public LocalSettings {
        launcherCommand = List.copyOf(launcherCommand);
        extraEnv = Map.copyOf(extraEnv);
        if (launcherCommand.isEmpty()) {
            throw new IllegalArgumentException("the launcher command is empty");
        }
        storeUrl = storeUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    public LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
            Duration pollInterval) {
        this(root, launcherCommand, extraEnv, stopGrace, pollInterval, Optional.empty());
    }
}
