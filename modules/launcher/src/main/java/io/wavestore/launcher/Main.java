package io.wavestore.launcher;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar wavestore-launcher.jar}: configured by environment variables only (README.md). Exit codes:
 * 1 the instance failed (reported to the store), 2 the configuration is wrong, 143 stopped by SIGTERM.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        LauncherConfig config;
        try {
            config = LauncherConfig.fromEnvironment(System.getenv());
        } catch (ConfigException e) {
            Log.info("configuration error: " + e.getMessage());
            reportConfigError(System.getenv(), e);
            System.exit(Launcher.EXIT_CONFIG);
            return;
        }
        Launcher.describe(config).forEach(Log::info);
        Launcher launcher = new Launcher(config);
        Thread hook = new Thread(launcher::shutdown, "launcher-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = launcher.run();
        Log.info("exiting with code " + code);
        System.exit(code);
    }

    /**
     * A launcher that cannot start should still not leave a spinner behind: when the instance id, progress URL
     * and token are usable, the store hears why.
     */
    private static void reportConfigError(Map<String, String> env, ConfigException error) {
        Map<String, String> minimal = new java.util.HashMap<>();
        for (String name : List.of(LauncherConfig.INSTANCE_ID, LauncherConfig.PROGRESS_URL,
                LauncherConfig.INSTANCE_TOKEN)) {
            if (env.get(name) != null) {
                minimal.put(name, env.get(name));
            }
        }
        minimal.put(LauncherConfig.BUNDLE_FILE, "/dev/null");
        LauncherConfig reachable;
        try {
            reachable = LauncherConfig.fromEnvironment(minimal);
        } catch (ConfigException stillWrong) {
            return;
        }
        if (reachable.progressUrl().isEmpty()) {
            return;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ProgressReporter reporter = new ProgressReporter(reachable.instanceId(), reachable.progressUrl(),
                reachable.token(), client, Clock.systemUTC())) {
            reporter.failed(Step.DOWNLOADING_BUNDLE, "the instance's launcher is misconfigured: " + error.getMessage(),
                    List.of());
            reporter.flush(Duration.ofSeconds(10));
        }
    }
}
