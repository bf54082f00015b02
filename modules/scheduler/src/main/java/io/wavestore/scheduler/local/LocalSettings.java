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
 * @param extraEnv        environment every launcher gets on top of the few variables it keeps of the store's (pip
 *                        index settings, a pip cache)
 * @param stopGrace       how long a launcher gets to stop its children before it is killed
 * @param pollInterval    how often the watch looks at processes and readiness
 * @param storeUrl        where launchers this process starts reach the store (its public URL, no trailing slash);
 *                        empty: the URLs in the instance's spec as they are
 * @param isolation       whether the launchers' children run confined (see {@link Isolation})
 * @param sandboxUid      the user the children run as when the store runs as root
 */
public record LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
        Duration pollInterval, Optional<String> storeUrl, Isolation isolation, int sandboxUid) {

    /** How local instances are confined. */
    public enum Isolation {
        /** pip, waved and the app run in bubblewrap; where that is impossible, no instance starts. */
        SANDBOX,
        /** They run as the store's user, seeing what it sees: only for a store one trusted person uses. */
        OFF
    }

    public LocalSettings {
        launcherCommand = List.copyOf(launcherCommand);
        extraEnv = Map.copyOf(extraEnv);
        if (launcherCommand.isEmpty()) {
            throw new IllegalArgumentException("the launcher command is empty");
        }
        if (sandboxUid <= 0) {
            throw new IllegalArgumentException("the sandbox user must not be root (uid " + sandboxUid + ")");
        }
        storeUrl = storeUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** Unconfined: for tests whose launcher is a stand-in. */
    public LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
            Duration pollInterval, Optional<String> storeUrl) {
        this(root, launcherCommand, extraEnv, stopGrace, pollInterval, storeUrl, Isolation.OFF, DEFAULT_SANDBOX_UID);
    }

    /** Unconfined: for tests whose launcher is a stand-in. */
    public LocalSettings(Path root, List<String> launcherCommand, Map<String, String> extraEnv, Duration stopGrace,
            Duration pollInterval) {
        this(root, launcherCommand, extraEnv, stopGrace, pollInterval, Optional.empty());
    }

    public static final int DEFAULT_SANDBOX_UID = 59999;
}
