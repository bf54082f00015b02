package io.wavestore.scheduler.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How the local runtime runs launchers.
 *
 * @param root            where instances live: {@code <root>/<id>/} holds the record, the app, its venv and log
 * @param launcherCommand the command that starts a launcher, e.g. {@code [java, -cp, ..., io.wavestore.launcher.Main]}
 * @param extraEnv        environment every launcher gets on top of the store's (pip index settings, a pip cache)
 * @param stopGrace       how long a launcher gets to stop its children before it is killed
 * @param pollInterval    how often the watch looks at processes and readiness
 */
public record LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
        Duration pollInterval) {

    public LocalSettings {
        launcherCommand = List.copyOf(launcherCommand);
        extraEnv = Map.copyOf(extraEnv);
        if (launcherCommand.isEmpty()) {
            throw new IllegalArgumentException("the launcher command is empty");
        }
    }
}
