package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.scheduler.local.LauncherPids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * The launchers of a test store on the local runtime. Launchers outlive the store that started them by design (a
 * restarted store adopts them), so a test's store leaves them running when it closes: a fixture ends them here,
 * whichever store process started them, and checks that none is left.
 */
final class LocalLaunchers {

    /** As long as the store gives a launcher to stop waved and the app before it is killed. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private LocalLaunchers() {
    }

    /**
     * Closes a test store on the local runtime leaving nothing running: terminates every instance through the API (as
     * an admin, who sees them all), closes the store, and ends whatever launcher is left.
     */
    static void terminateAllAndClose(Wavestore store, StoreClient admin, Path dataDir) throws Exception {
        try {
            for (JsonNode instance : StoreClient.json(admin.get("/api/v1/instances"))) {
                admin.send("DELETE", "/api/v1/instances/" + instance.get("id").asText(), null);
            }
        } finally {
            store.close();
            stopAll(dataDir);
        }
    }

    /** Ends the launchers of a store whose data directory is {@code dataDir} (instances in its default root). */
    static void stopAll(Path dataDir) {
        stopAllUnder(dataDir.resolve("instances"));
    }

    /**
     * Ends every launcher whose pid file is under {@code instanceRoot}, with all it started (SIGTERM, then SIGKILL after
     * the grace), and fails unless all of them are gone.
     */
    static void stopAllUnder(Path instanceRoot) {
        List<ProcessHandle> launchers = running(instanceRoot);
        List<ProcessHandle> everything = launchers.stream()
                .flatMap(launcher -> Stream.concat(Stream.of(launcher), launcher.descendants())).toList();
        launchers.forEach(ProcessHandle::destroy);
        try {
            Awaitility.await().atMost(GRACE).until(() -> launchers.stream().noneMatch(LauncherPids::alive));
        } catch (org.awaitility.core.ConditionTimeoutException slow) {
            // What did not stop in time is killed below.
        }
        everything.stream().filter(LauncherPids::alive).forEach(ProcessHandle::destroyForcibly);
        Awaitility.await().atMost(GRACE).untilAsserted(() -> assertThat(everything.stream().filter(LauncherPids::alive)
                .map(ProcessHandle::pid)).as("launchers (and their children) of the test store under " + instanceRoot)
                .isEmpty());
    }

    private static List<ProcessHandle> running(Path instanceRoot) {
        if (!Files.isDirectory(instanceRoot)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(instanceRoot)) {
            return dirs.map(dir -> dir.resolve(LauncherPids.FILE)).filter(Files::isRegularFile)
                    .flatMap(file -> pid(file).flatMap(ProcessHandle::of).stream())
                    .filter(LauncherPids::alive).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Long> pid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // removed this instant, or half written: no launcher to end
        }
    }
}
