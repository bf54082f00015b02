package io.wavestore.scheduler.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several store processes (replicas on one machine) sharing one instance root, with real launcher processes (a small
 * Python stand-in that notes every start) and, where it matters, real other JVMs.
 */
class LocalRuntimeSharedRootTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path root;
    private Path script;
    private final List<LocalRuntime> runtimes = new ArrayList<>();
    private final List<ProcessHandle> strays = new ArrayList<>();

    static LocalSettings settings(Path root, Path script, String storeUrl) {
        return new LocalSettings(root, List.of("python3", script.toString()), Map.of(), Duration.ofSeconds(5),
                Duration.ofMillis(200), Optional.of(storeUrl));
    }

    @BeforeEach
    void copyTheFakeLauncher(@TempDir Path scripts) throws IOException {
        script = scripts.resolve("fake_launcher.py");
        try (InputStream in = getClass().getResourceAsStream("/local/fake_launcher.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @AfterEach
    void stopEverything() {
        LocalRuntime any = runtime("http://127.0.0.1:1");
        any.list().forEach(r -> any.uninstall(r.instanceId()));
        strays.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void replicasStartingTogetherRestartADeadLauncherOnce() throws Exception {
        LocalRuntime first = runtime("http://127.0.0.1:1");
        first.install(spec("one", false));
        kill(awaitLauncher("one"));

        // Three other JVMs and this one start a runtime on the root at the same moment, as replicas starting together do.
        List<Process> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SharedRootReplica.class.getName(),
                    root.toString(), script.toString(), "http://127.0.0.1:" + (2 + i))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        CompletableFuture<LocalRuntime> here = CompletableFuture.supplyAsync(() -> runtime("http://127.0.0.1:5"));
        for (Process other : others) {
            assertThat(other.waitFor()).as("the other store process ends well").isZero();
        }
        LocalRuntime second = here.get();

        await(() -> second.health("one").ready(), "the restarted launcher answers");
        assertThat(starts("one")).as("one start at install, one restart among four processes").hasSize(2);
        assertThat(first.health("one").phase()).isEqualTo(InstanceHealth.Phase.RUNNING);
    }

    @Test
    void anyRuntimeSeesAndStopsALauncherAnotherOneStarted() throws Exception {
        TwoStores stores = startedByOneSeenByAnother("two");
        LocalRuntime starter = stores.starter();
        LocalRuntime other = stores.other();
        ProcessHandle launcher = stores.launcher();
        assertThat(starts("two")).as("the running launcher is adopted, not started again").hasSize(1);

        other.upgrade(spec("two", true));
        assertThat(launcher.isAlive()).as("suspended by the other runtime").isFalse();
        assertThat(starter.health("two").phase()).isEqualTo(InstanceHealth.Phase.STOPPED);

        other.upgrade(spec("two", false));
        ProcessHandle resumed = awaitLauncher("two");
        await(() -> starter.health("two").ready(), "the starter sees the launcher the other runtime started");
        starter.uninstall("two");
        assertThat(resumed.isAlive()).as("terminated by the starter").isFalse();
        assertThat(other.get("two")).isEmpty();
    }

    @Test
    void aLauncherThatDiedIsFailedEverywhereWithTheExitCodeOnlyWhereItWasStarted() throws Exception {
        TwoStores stores = startedByOneSeenByAnother("three");
        LocalRuntime starter = stores.starter();
        LocalRuntime other = stores.other();

        kill(stores.launcher());

        await(() -> starter.health("three").exitCode().isPresent(), "the starter learns the exit code");
        InstanceHealth seenByStarter = starter.health("three");
        InstanceHealth seenByOther = other.health("three");
        assertThat(seenByStarter.phase()).isEqualTo(InstanceHealth.Phase.FAILED);
        assertThat(seenByStarter.exitCode()).contains(137);
        assertThat(seenByOther.phase()).isEqualTo(InstanceHealth.Phase.FAILED);
        assertThat(seenByOther.exitCode()).as("only a launcher's parent learns its exit code").isEmpty();
        assertThat(seenByOther.reason()).contains("LauncherExited");
    }

    @Test
    void aRestartedLauncherReachesTheStoreThatRestartedIt() throws Exception {
        runtime("http://127.0.0.1:1111").install(spec("four", false));
        kill(awaitLauncher("four"));

        LocalRuntime restarter = runtime("http://127.0.0.1:2222/");
        await(() -> restarter.health("four").ready(), "the restarted launcher answers");

        List<String> starts = starts("four");
        assertThat(starts).hasSize(2);
        assertThat(starts.get(0)).endsWith(" http://127.0.0.1:1111/api/v1/instances/four/bundle");
        assertThat(starts.get(1)).as("not the URL in the record, written by a store that may be gone")
                .endsWith(" http://127.0.0.1:2222/api/v1/instances/four/bundle");
    }

    @Test
    void aReusedPidIsNotTakenForTheLauncher() throws Exception {
        runtime("http://127.0.0.1:1").install(spec("five", false));
        kill(awaitLauncher("five"));
        // An unrelated process of the same program now has a pid the pid file names; it started after the file was written.
        ProcessHandle unrelated = new ProcessBuilder("python3", "-c", "import time; time.sleep(120)").start().toHandle();
        strays.add(unrelated);
        Path pidFile = root.resolve("five").resolve(LauncherPids.FILE);
        Files.writeString(pidFile, Long.toString(unrelated.pid()));
        Files.setLastModifiedTime(pidFile, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        LocalRuntime restarted = runtime("http://127.0.0.1:2");
        await(() -> restarted.health("five").ready(), "the new launcher answers");

        assertThat(starts("five")).as("the launcher is started again").hasSize(2);
        assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
    }

    /**
     * Suspend and resume stop and start the launcher on purpose: whoever looks meanwhile (the replica whose watch
     * polls, or the one making the change) never sees a failure, at any moment of the change.
     */
    @Test
    void aSuspendOrResumeUnderWayIsNeverAFailure() throws Exception {
        TwoStores stores = startedByOneSeenByAnother("six");
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean looking = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> lookers = new ArrayList<>();
        for (LocalRuntime runtime : List.of(stores.starter(), stores.other())) {
            Thread looker = new Thread(() -> {
                while (looking.get()) {
                    InstanceHealth health = runtime.health("six");
                    if (health.phase() == InstanceHealth.Phase.FAILED) {
                        failures.add(health.reason().orElse("?") + ": " + health.message().orElse(""));
                    }
                }
            });
            looker.start();
            lookers.add(looker);
        }
        try {
            for (int cycle = 0; cycle < 5; cycle++) {
                stores.starter().upgrade(spec("six", true));
                stores.other().upgrade(spec("six", false));
                await(() -> stores.starter().health("six").ready(), "resumed");
            }
        } finally {
            looking.set(false);
            for (Thread looker : lookers) {
                looker.join();
            }
        }
        assertThat(failures).as("health seen while the launcher was stopped and started on purpose").isEmpty();
    }

    /** Two store processes on the root: one started the instance's launcher, the other sees it answer. */
    private record TwoStores(LocalRuntime starter, LocalRuntime other, ProcessHandle launcher) {
    }

    private TwoStores startedByOneSeenByAnother(String id) {
        LocalRuntime starter = runtime("http://127.0.0.1:1");
        starter.install(spec(id, false));
        ProcessHandle launcher = awaitLauncher(id);
        LocalRuntime other = runtime("http://127.0.0.1:2");
        await(() -> other.health(id).ready(), "the other runtime sees the launcher it did not start");
        return new TwoStores(starter, other, launcher);
    }

    private LocalRuntime runtime(String storeUrl) {
        LocalRuntime runtime = new LocalRuntime(settings(root, script, storeUrl), Clock.systemUTC());
        runtimes.add(runtime);
        return runtime;
    }

    private ProcessHandle awaitLauncher(String id) {
        LauncherPids pids = new LauncherPids(new LocalRecordStore(root), "python3");
        // Its line in starts.log, not just the file: the file exists a moment before the line is written, and a
        // launcher killed in between leaves no trace of its start (seen once on a busy machine).
        await(() -> pids.running(id).isPresent() && Files.exists(root.resolve(id).resolve("starts.log"))
                && !starts(id).isEmpty(),
                "the launcher of " + id + " runs");
        return pids.running(id).orElseThrow();
    }

    private static void kill(ProcessHandle launcher) throws Exception {
        launcher.destroyForcibly();
        launcher.onExit().get();
    }

    private List<String> starts(String id) {
        try {
            return Files.readAllLines(root.resolve(id).resolve("starts.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void await(Supplier<Boolean> condition, String what) {
        Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(condition::get);
    }

    static InstanceSpec spec(String id, boolean suspended) {
        InstanceRecord record = new InstanceRecord(id, "1", "io.wavestore.hello-wave", "0.1.0", "olga@example.com", true,
                Visibility.ALL_USERS, suspended, Instant.parse("2026-11-25T07:00:00Z"), InstanceRecord.ReleaseState.PENDING, 0);
        RuntimeSection runtime = new RuntimeSection(Optional.of("app"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, false, RoutingMode.BASE_URL, AppMode.WAVE, Optional.empty(), Optional.empty());
        String api = "http://127.0.0.1:1/api/v1/instances/" + id;
        return new InstanceSpec(record, runtime, List.of(), List.of(),
                new InstanceSpec.LauncherSettings(api + "/bundle", "0".repeat(64), "token", api + "/progress",
                        "/instance/" + id + "/"));
    }
}
