package io.wavestore.scheduler;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.bundle.RuntimeSection;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The app versions the scheduler's actor tests start instances of, and what turns them into specs. */
final class TestInstances {

    static final String APP = "io.wavestore.hello-wave";
    /** The app's InstanceTimeout. */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final RuntimeSection RUNTIME = new RuntimeSection(Optional.of("app"), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), false, false, RoutingMode.BASE_URL, AppMode.WAVE, Optional.empty(), Optional.empty());

    private TestInstances() {
    }

    static SchedulerSettings settings() {
        return new SchedulerSettings("http://127.0.0.1:1", 10, 10, 10, Duration.ofMinutes(1), Duration.ofHours(1),
                new byte[0]);
    }

    static InstanceSpecFactory specs(SchedulerSettings settings) {
        return new InstanceSpecFactory(settings,
                new InstanceCredentials("a secret of the tests, long enough".getBytes(StandardCharsets.UTF_8),
                        Duration.ofHours(1), Clock.systemUTC()));
    }

    /** Every version of the app exists. */
    static AppLookup everyVersion() {
        return (name, version) -> Optional.of(app(version));
    }

    static AppLookup.AppRuntime app(String version) {
        return new AppLookup.AppRuntime("app-" + version, APP, version, "publisher@example.com", InstanceLifecycle.ON_DEMAND,
                RUNTIME, List.of(), List.of(), "0".repeat(64), Optional.of(IDLE_TIMEOUT));
    }
}
