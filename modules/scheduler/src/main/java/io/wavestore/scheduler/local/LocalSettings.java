package io.wavestore.scheduler.local;

import com.typesafe.config.Config;
import io.wavestore.launcher.LauncherVariable;
import io.wavestore.scheduler.ConfigLists;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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

    /**
     * The settings of {@code wavestore.scheduler.local}.
     *
     * @param dataDir                the store's data directory, where the directories left empty are
     * @param publicUrl              where launchers reach this store
     * @param defaultLauncherCommand the command when {@code launcher-command} is empty (the store knows its class path)
     * @param appOidcSecret          the client secret of apps with EnableOIDC; empty: none
     */
    public static LocalSettings from(Config local, Path dataDir, String publicUrl,
            Supplier<List<String>> defaultLauncherCommand, String appOidcSecret) {
        List<String> command = ConfigLists.stringList(local, "launcher-command");
        String isolation = local.getString("isolation");
        if (!isolation.equals("sandbox") && !isolation.equals("off")) {
            throw new IllegalArgumentException("wavestore.scheduler.local.isolation (WAVESTORE_LOCAL_ISOLATION) is '"
                    + isolation + "'; it must be sandbox or off");
        }
        return new LocalSettings(directory(local, "dir", dataDir, "instances"),
                command.isEmpty() ? defaultLauncherCommand.get() : command,
                launcherEnv(local, dataDir, appOidcSecret),
                local.getDuration("stop-grace"),
                local.getDuration("poll-interval"),
                // Replicas sharing the instance root: a launcher talks to the replica that started it.
                Optional.of(publicUrl),
                isolation.equals("off") ? Isolation.OFF : Isolation.SANDBOX,
                local.getInt("sandbox-uid"));
    }

    /** A directory setting of {@code local}; empty means {@code <data-dir>/<fallback>}. */
    public static Path directory(Config local, String path, Path dataDir, String fallback) {
        String dir = local.getString(path);
        return dir.isEmpty() ? dataDir.resolve(fallback) : Path.of(dir).toAbsolutePath();
    }

    /** What every launcher gets on top of its instance's variables. */
    private static Map<String, String> launcherEnv(Config local, Path dataDir, String appOidcSecret) {
        Map<String, String> env = new HashMap<>();
        // One pip cache for every local instance: the second start of an app downloads nothing.
        env.put("PIP_CACHE_DIR", directory(local, "pip-cache-dir", dataDir, "pip-cache").toString());
        // A launcher renews its credential well before it ends.
        env.put(LauncherVariable.WAVESTORE_CREDENTIAL_RENEW_INTERVAL.name(),
                Math.max(1, local.getDuration("credential-ttl").toSeconds() / 4) + "s");
        // Environments built once per (requirements, Python) with uv, copied by every later instance.
        env.put(LauncherVariable.WAVESTORE_DEPENDENCY_CACHE.name(),
                directory(local, "dependency-cache-dir", dataDir, "dependency-cache").toString());
        env.put(LauncherVariable.WAVESTORE_DEPENDENCY_CACHE_MAX.name(), Long.toString(local.getBytes("dependency-cache-max")));
        env.put(LauncherVariable.WAVESTORE_UV.name(), local.getString("uv"));
        // Only the launchers of apps with EnableOIDC keep it (LocalRuntime removes it from the others').
        if (!appOidcSecret.isEmpty()) {
            env.put(LauncherVariable.WAVESTORE_APP_OIDC_CLIENT_SECRET.name(), appOidcSecret);
        }
        return env;
    }
}
