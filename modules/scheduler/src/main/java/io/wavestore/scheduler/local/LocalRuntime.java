package io.wavestore.scheduler.local;

import static io.wavestore.launcher.LauncherVariable.H2O_WAVE_BASE_URL;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_APP_ENV_JSON;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_APP_FILES_JSON;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_APP_MODE;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_APP_MODULE;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_APP_PORT;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_BUNDLE_SHA256;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_BUNDLE_URL;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_INSTANCE_ID;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_INSTANCE_TOKEN;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_LISTEN_ADDRESS;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_PROGRESS_URL;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_PYTHON;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_SANDBOX;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_SANDBOX_UID;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_SYSTEM_PACKAGES;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_VENV_DIR;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_WAVE_DATA_DIR;
import static io.wavestore.launcher.LauncherVariable.WAVESTORE_WORK_DIR;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.scheduler.Polling;
import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.scheduler.runtime.WaveOidc;
import io.wavestore.scheduler.secrets.SecretStore;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's runtime: each instance is a launcher process on a free loopback port, and its record is
 * a file in the store's data directory (what a Helm release holds on Kubernetes). After a restart of the store it
 * rebuilds every instance from those files, adopting a launcher that still runs or starting it again. Suspend stops
 * the process and keeps the instance's files; terminate removes both.
 *
 * <p>Several store processes (replicas on one machine) may share one root: changes take a lock on the root across
 * processes, so no launcher is ever started twice, and which process is an instance's launcher is read from its pid
 * file, never only from this process's memory, so any replica sees, stops and restarts a launcher another one started.
 */
public final class LocalRuntime implements InstanceRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRuntime.class);
    static final String LOG_FILE = "launcher.log";
    private static final Duration CONFIRM_FAILURE = Duration.ofMillis(100);
    /** Where the store's launcher API starts in the URLs of a spec (see InstanceSpecFactory). */
    private static final String API_PATH = "/api/v1/instances/";

    private final LocalSettings settings;
    private final LocalRecordStore store;
    private final Clock clock;
    private final RootLock lock;
    private final LauncherPids pids;
    /** Launchers this process started (for {@link #stopAll}); the pid files say which ones are current. */
    private final Map<String, ProcessHandle> started = new ConcurrentHashMap<>();
    /** Exit codes, by pid, of launchers this process started and saw end: only a launcher's parent learns its exit code. */
    private final Map<Long, Integer> exitCodes = new ConcurrentHashMap<>();
    /** Instances whose failure was confirmed, with the launcher it was confirmed for (see {@link #health}). */
    private final Map<String, String> confirmedFailures = new ConcurrentHashMap<>();
    private final Function<String, String> credentials;
    /** Who the launchers' children run as in their sandbox: the sandbox user (store as root), else the store's user. */
    private final OptionalInt childUser;
    /** Why instances cannot be confined here, when they cannot. */
    private final Optional<String> isolationProblem;
    /** Where the values of secrets are read when a launcher starts; empty: apps with secrets do not start here. */
    private final Optional<SecretStore> secrets;
    private final PythonInterpreters pythons;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** With launchers that get no credential: for tests whose launcher is a stand-in. */
    public LocalRuntime(LocalSettings settings, Clock clock) {
        this(settings, clock, instanceId -> "");
    }

    /**
     * @param credentials issues a fresh credential for an instance each time its launcher starts: it is handed to the
     *                    launcher only, never written into the instance's record
     */
    public LocalRuntime(LocalSettings settings, Clock clock, Function<String, String> credentials) {
        this(settings, clock, credentials, Optional.empty());
    }

    /**
     * @param secrets where the secrets of apps are: the references in a spec are ids there (see SecretResolver), and
     *                their values are read at every start of a launcher, so a changed secret reaches the next one
     */
    public LocalRuntime(LocalSettings settings, Clock clock, Function<String, String> credentials,
            Optional<SecretStore> secrets) {
        this(settings, clock, credentials, settings.isolation() == LocalSettings.Isolation.SANDBOX
                ? SandboxCheck.problem(SandboxCheck.childUser(settings.sandboxUid())) : Optional.empty(), secrets);
    }

    /** @param isolationProblem why a sandbox cannot work here, as {@link SandboxCheck} found (tests: as if it had) */
    LocalRuntime(LocalSettings settings, Clock clock, Function<String, String> credentials,
            Optional<String> isolationProblem, Optional<SecretStore> secrets) {
        this(settings, clock, credentials, isolationProblem, secrets, PythonInterpreters.onThisMachine(System.getenv()));
    }

    /** @param pythons the interpreters an app's RuntimeVersion chooses from (tests: a directory of stand-ins) */
    LocalRuntime(LocalSettings settings, Clock clock, Function<String, String> credentials,
            Optional<String> isolationProblem, Optional<SecretStore> secrets, PythonInterpreters pythons) {
        this.secrets = secrets;
        this.pythons = pythons;
        this.settings = settings;
        this.store = new LocalRecordStore(settings.root());
        this.clock = clock;
        this.credentials = credentials;
        this.lock = new RootLock(settings.root());
        this.pids = new LauncherPids(store, settings.launcherCommand().get(0));
        this.childUser = SandboxCheck.childUser(settings.sandboxUid());
        this.isolationProblem = isolationProblem;
        announceIsolation();
        // Every replica does this as it starts: under the lock, the first one restarts a dead launcher and the
        // others find it running.
        lock.run(this::adoptOrRestart);
    }

    @Override
    public void install(InstanceSpec spec) {
        lock.run(() -> {
            String id = spec.instanceId();
            if (store.read(id).isPresent()) {
                throw new RuntimeFailure(RuntimeFailure.Kind.ALREADY_EXISTS, "instance " + id + " exists already");
            }
            checkRunnable(spec);
            int port = appPort(spec).map(p -> {
                checkPortFree(p);
                return p;
            }).orElseGet(this::freePort);
            LocalRecord record = new LocalRecord(deployed(spec, 1), port, 1);
            writeAndStart(record, spec);
        });
    }

    @Override
    public void upgrade(InstanceSpec spec) {
        lock.run(() -> {
            String id = spec.instanceId();
            LocalRecord old = store.read(id).orElseThrow(() -> notFound(id));
            checkRunnable(spec);
            // A Wave app keeps its port; one that was a python app's own port is not a free one to keep.
            int port = appPort(spec).orElse(listensOnItsOwnPort(old.spec()) ? freePort() : old.port());
            LocalRecord record = new LocalRecord(deployed(spec, old.revision() + 1), port, old.revision() + 1);
            stop(id);
            writeAndStart(record, spec);
        });
    }

    /** What this machine must give an instance before it is written: its secrets, its confinement, its Python. */
    private void checkRunnable(InstanceSpec spec) {
        checkSecrets(spec);
        requireIsolation(spec);
        requirePython(spec);
    }

    /** Keeps the instance's record and, unless it is to stay suspended, starts its launcher. */
    private void writeAndStart(LocalRecord record, InstanceSpec spec) {
        store.write(record);
        if (!spec.record().suspended()) {
            start(record);
        }
    }

    @Override
    public void uninstall(String instanceId) {
        lock.run(() -> {
            stop(instanceId);
            store.delete(instanceId);
        });
    }

    @Override
    public List<InstanceRecord> list() {
        return store.readAll().stream().map(r -> r.spec().record()).toList();
    }

    @Override
    public Optional<InstanceRecord> get(String instanceId) {
        return store.read(instanceId).map(r -> r.spec().record());
    }

    /**
     * A launcher that is gone, or not started yet, is also what a change under way looks like (a suspend, resume or
     * update between its stop and its start, made here or by another replica sharing the root): every change holds the
     * root lock, so a failure is only reported once it is seen again under that lock, when no change is half done.
     */
    @Override
    public InstanceHealth health(String instanceId) {
        InstanceHealth seen = look(instanceId);
        if (seen.phase() != InstanceHealth.Phase.FAILED) {
            confirmedFailures.remove(instanceId);
            return seen;
        }
        // The watch polls every instance: a failure confirmed once for this revision and launcher is not confirmed
        // again at every poll (the lock and the pause below would slow every poll down by each failed instance).
        String launcher = failedLauncher(instanceId);
        if (launcher.equals(confirmedFailures.get(instanceId))) {
            return seen;
        }
        InstanceHealth confirmed = confirmFailure(instanceId);
        if (confirmed.phase() == InstanceHealth.Phase.FAILED) {
            confirmedFailures.put(instanceId, failedLauncher(instanceId));
        }
        return confirmed;
    }

    /** Under the lock, and once more a moment later: a process just spawned or being reaped can look gone for an instant. */
    private InstanceHealth confirmFailure(String instanceId) {
        InstanceHealth locked = lock.call(() -> look(instanceId));
        if (locked.phase() != InstanceHealth.Phase.FAILED) {
            return locked;
        }
        try {
            Thread.sleep(CONFIRM_FAILURE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return locked;
        }
        return lock.call(() -> look(instanceId));
    }

    /** Which launcher a failure is about: the record's revision and the pid its file names (every change moves one). */
    private String failedLauncher(String instanceId) {
        return store.read(instanceId).map(LocalRecord::revision).orElse(0) + ":" + pids.recorded(instanceId).orElse(0L);
    }

    private InstanceHealth look(String instanceId) {
        Optional<LocalRecord> record = store.read(instanceId);
        if (record.isEmpty() || record.get().spec().record().suspended()) {
            return InstanceHealth.stopped(clock.instant());
        }
        String address = "127.0.0.1:" + record.get().port();
        if (!pids.exists(instanceId)) {
            // A start that failed. Not PENDING: a failed start must not hold one of the store's concurrent starts for good.
            return new InstanceHealth(InstanceHealth.Phase.FAILED, false, 0, Optional.of("LauncherNotStarted"),
                    Optional.of("the launcher is not running and has no pid file: its start failed"),
                    Optional.empty(), Optional.of(address), List.of(), clock.instant());
        }
        if (pids.running(instanceId).isEmpty()) {
            // Only the launcher's parent learns its exit code: a launcher another replica started ends without one.
            Optional<Integer> exit = pids.recorded(instanceId).map(exitCodes::get);
            return new InstanceHealth(InstanceHealth.Phase.FAILED, false, 0, Optional.of("LauncherExited"),
                    Optional.of("the launcher stopped" + exit.map(c -> " with exit code " + c).orElse("") + ": "
                            + String.join(" | ", lastLines(instanceId, 5))),
                    exit, Optional.of(address), List.of(), clock.instant());
        }
        boolean ready = answers(record.get());
        return new InstanceHealth(ready ? InstanceHealth.Phase.RUNNING : InstanceHealth.Phase.STARTING, ready, 0,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(address), List.of(), clock.instant());
    }

    @Override
    public LogStream logs(String instanceId, int tailLines, boolean follow) {
        if (store.read(instanceId).isEmpty()) {
            throw notFound(instanceId);
        }
        return new LogFileStream(store.dir(instanceId).resolve(LOG_FILE), tailLines, follow);
    }

    /** Polls the record files and processes, and reports what changed since the last look. */
    @Override
    public Closeable watch(InstanceEvents events) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "local-runtime-watch");
            thread.setDaemon(true);
            return thread;
        });
        Map<String, InstanceRecord> seenRecords = new HashMap<>();
        Map<String, String> seenHealth = new HashMap<>();
        poller.scheduleWithFixedDelay(() -> {
            try {
                Map<String, InstanceRecord> now = new LinkedHashMap<>();
                list().forEach(r -> now.put(r.instanceId(), r));
                for (InstanceRecord r : now.values()) {
                    if (!r.equals(seenRecords.get(r.instanceId()))) {
                        events.recordChanged(r);
                    }
                    InstanceHealth h = health(r.instanceId());
                    String key = h.phase() + "/" + h.ready() + "/" + h.reason().orElse("") + "/" + h.exitCode().orElse(-1);
                    if (!key.equals(seenHealth.get(r.instanceId()))) {
                        events.healthChanged(r.instanceId(), h);
                        seenHealth.put(r.instanceId(), key);
                    }
                }
                for (String gone : seenRecords.keySet()) {
                    if (!now.containsKey(gone)) {
                        events.recordRemoved(gone);
                        seenHealth.remove(gone);
                    }
                }
                seenRecords.clear();
                seenRecords.putAll(now);
            } catch (RuntimeException e) {
                LOG.warn("local runtime watch: {}", e.toString());
            }
        }, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        return poller::shutdownNow;
    }

    @Override
    public String describe() {
        return "local launcher processes under " + settings.root() + " (" + isolation() + ")";
    }

    /** Launchers keep running when the store stops: a restarted store adopts them. */
    @Override
    public void close() {
    }

    /** Stops every launcher: for tests and for a store that should leave nothing running. */
    public void stopAll() {
        for (Map.Entry<String, ProcessHandle> launcher : List.copyOf(started.entrySet())) {
            lock.run(() -> {
                // Only if it is still the instance's launcher: another replica may have replaced it since.
                if (pids.recorded(launcher.getKey()).filter(pid -> pid == launcher.getValue().pid()).isPresent()) {
                    stop(launcher.getKey());
                }
                started.remove(launcher.getKey(), launcher.getValue());
            });
        }
    }

    private void adoptOrRestart() {
        for (LocalRecord record : store.readAll()) {
            String id = record.spec().instanceId();
            if (record.spec().record().suspended()) {
                continue;
            }
            Optional<ProcessHandle> running = pids.running(id);
            if (running.isPresent()) {
                LOG.info("local instance {}: adopted its running launcher (pid {})", id, running.get().pid());
            } else {
                LOG.info("local instance {}: its launcher is not running; starting it again", id);
                try {
                    start(record);
                } catch (RuntimeFailure e) {
                    LOG.error("local instance {}: {}", id, e.getMessage());
                }
            }
        }
    }

    /** Loud, once, at start: whoever runs the store must know whether its apps are confined. */
    private void announceIsolation() {
        if (settings.isolation() == LocalSettings.Isolation.OFF) {
            LOG.warn("LOCAL INSTANCES RUN UNCONFINED (wavestore.scheduler.local.isolation = off): every app runs as the"
                    + " store's user and can read what it can, the data directory and its secrets included. Only for a"
                    + " store that one trusted person uses.");
        } else if (isolationProblem.isPresent()) {
            LOG.error("LOCAL INSTANCES CANNOT BE ISOLATED ON THIS MACHINE: {}. No local instance will start. Install"
                    + " bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow user namespaces, or set"
                    + " wavestore.scheduler.local.isolation = off (WAVESTORE_LOCAL_ISOLATION=off) to run apps unconfined.",
                    isolationProblem.get());
        } else {
            LOG.info("local instances run in a bubblewrap sandbox, {}", childUser.isPresent()
                    ? "as user " + childUser.getAsInt() : "in a user namespace of the store's user");
        }
    }

    /** How instances are confined here, in words. */
    private String isolation() {
        if (settings.isolation() == LocalSettings.Isolation.OFF) {
            return "unconfined (isolation = off)";
        }
        return isolationProblem.map(problem -> "unavailable: " + problem + "; instances do not start")
                .orElse("bubblewrap sandbox" + (childUser.isPresent() ? ", user " + childUser.getAsInt() : ", user namespace"));
    }

    /**
     * The interpreter an app's RuntimeVersion asks for ({@code deb11_py310_wlatest}: a python3.10 of this machine), or
     * none when it names no Python (the launcher's {@code python3}). Before anything is written, like the isolation
     * check: a start refused for want of that Python leaves nothing behind, and says what there is.
     */
    private Optional<Path> requirePython(InstanceSpec spec) {
        if (spec.record().suspended()) {
            return Optional.empty();
        }
        Optional<String> runtimeVersion = spec.runtime().runtimeVersion();
        Optional<String> version = runtimeVersion.flatMap(PythonInterpreters::requested);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> python = pythons.find(version.get());
        if (python.isEmpty()) {
            java.util.SortedMap<String, Path> available = pythons.available();
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "app.toml's RuntimeVersion " + runtimeVersion.get()
                    + " asks for Python " + version.get() + ", which this machine does not have; it has " + (available
                    .isEmpty() ? "no python3.X" : available.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue()
                    + ")").collect(java.util.stream.Collectors.joining(", "))) + ". Install Python " + version.get()
                    + " (on PATH, in /usr/bin, /usr/local/bin, /opt or pyenv) or choose a RuntimeVersion of one of these");
        }
        return python;
    }

    /** Before anything is written: a start refused for want of a sandbox leaves nothing behind. */
    private void requireIsolation(InstanceSpec spec) {
        if (!spec.record().suspended() && settings.isolation() == LocalSettings.Isolation.SANDBOX
                && isolationProblem.isPresent()) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "local instances cannot be isolated on this machine ("
                    + isolationProblem.get() + "); install bubblewrap, or set WAVESTORE_LOCAL_ISOLATION=off to run them"
                    + " unconfined");
        }
    }

    private void start(LocalRecord record) {
        InstanceSpec spec = record.spec();
        String id = spec.instanceId();
        requireIsolation(spec);
        Path dir = store.dir(id);
        ProcessBuilder builder = new ProcessBuilder(settings.launcherCommand());
        builder.directory(dir.toFile());
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(LOG_FILE).toFile()));
        Map<String, String> env = builder.environment();
        // Not the store's environment (its database password, cloud keys...): only what running Python needs.
        env.keySet().removeIf(name -> !LauncherEnvironment.kept(name));
        env.putAll(settings.extraEnv());
        env.putAll(launcherEnv(spec, dir, record.port()));
        if (spec.launcher().oidc().isEmpty()) {
            // The client secret for apps (in extraEnv) goes only to the launchers of apps that sign in with it.
            env.remove(WaveOidc.CLIENT_SECRET_ENV);
        }
        try {
            Process process = builder.start();
            started.put(id, process.toHandle());
            pids.write(id, process.pid());
            awaitExec(process);
            process.onExit().thenAccept(p -> exitCodes.put(p.pid(), p.exitValue()));
            LOG.info("local instance {}: launcher started (pid {}, port {})", id, process.pid(), record.port());
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "cannot start the launcher of " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Right after it is spawned, a process is still the JDK's spawn helper until it runs the launcher's program, and
     * {@link LauncherPids#running} (which checks the program, against pid reuse) would not take it for the launcher.
     * The change that started it holds the root lock until this returns, so no replica sees it in between.
     */
    private void awaitExec(Process process) {
        Polling.until(() -> !process.isAlive() || process.info().commandLine().or(() -> process.info().command())
                .map(c -> c.contains(settings.launcherCommand().get(0))).orElse(true), Duration.ofSeconds(2), Duration.ofMillis(5));
    }

    /** Asks the launcher to stop (it forwards SIGTERM to waved and the app), then kills it after the grace. */
    private void stop(String instanceId) {
        ProcessHandle process = pids.running(instanceId).orElse(null);
        if (process != null) {
            List<ProcessHandle> tree = process.descendants().toList();
            process.destroy();
            try {
                process.onExit().get(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
            }
            // Whatever the launcher could not stop goes too: nothing of a stopped instance keeps running.
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
        try {
            pids.delete(instanceId);
        } catch (IOException e) {
            LOG.warn("local instance {}: cannot remove its pid file: {}", instanceId, e.toString());
        }
    }

    private Map<String, String> launcherEnv(InstanceSpec spec, Path dir, int port) {
        Map<String, String> env = new HashMap<>();
        InstanceSpec.LauncherSettings launcher = spec.launcher();
        env.put(WAVESTORE_INSTANCE_ID.name(), spec.instanceId());
        env.put(WAVESTORE_BUNDLE_URL.name(), viaThisStore(launcher.bundleUrl()));
        env.put(WAVESTORE_BUNDLE_SHA256.name(), launcher.bundleSha256());
        env.put(WAVESTORE_INSTANCE_TOKEN.name(), credentials.apply(spec.instanceId()));
        if (settings.isolation() == LocalSettings.Isolation.SANDBOX) {
            env.put(WAVESTORE_SANDBOX.name(), "bwrap");
            childUser.ifPresent(uid -> env.put(WAVESTORE_SANDBOX_UID.name(), Integer.toString(uid)));
        }
        env.put(WAVESTORE_PROGRESS_URL.name(), viaThisStore(launcher.progressUrl()));
        env.put(WAVESTORE_WORK_DIR.name(), dir.resolve("app").toString());
        env.put(WAVESTORE_VENV_DIR.name(), dir.resolve("venv").toString());
        env.put(WAVESTORE_WAVE_DATA_DIR.name(), dir.resolve("data").toString());
        env.put(WAVESTORE_LISTEN_ADDRESS.name(), "127.0.0.1:" + port);
        env.put(H2O_WAVE_BASE_URL.name(), launcher.baseUrl());
        launcher.oidc().ifPresent(oidc -> env.putAll(oidc.launcherEnv()));
        requirePython(spec).ifPresent(python -> env.put(WAVESTORE_PYTHON.name(), python.toString()));
        // Never apt-get on someone's own machine; and no WAVESTORE_APP_FILES_ROOTS: files stay inside the instance.
        env.put(WAVESTORE_SYSTEM_PACKAGES.name(), "skip");
        spec.runtime().module().ifPresent(module -> env.put(WAVESTORE_APP_MODULE.name(), module));
        env.put(WAVESTORE_APP_MODE.name(), spec.runtime().appMode().name().toLowerCase(java.util.Locale.ROOT));
        spec.runtime().port().ifPresent(p -> env.put(WAVESTORE_APP_PORT.name(), Integer.toString(p)));
        // Secret values only here, in the launcher's own environment (readable by the store's user alone): never in
        // the record file, never in a log.
        Map<String, String> appEnv = new LinkedHashMap<>();
        for (EnvVarSpec var : spec.env()) {
            var.value().or(() -> var.secret().map(id -> secretValue(id, var.secretKey().orElse(var.name()), "env " + var.name())))
                    .ifPresent(value -> appEnv.put(var.name(), value));
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (FileSpec file : spec.files()) {
            file.value().or(() -> file.secret().map(id -> secretValue(id, file.secretKey().orElse(""), "file " + file.path())))
                    .ifPresent(value -> files.put(file.path(), value));
        }
        try {
            env.put(WAVESTORE_APP_ENV_JSON.name(), json.writeValueAsString(appEnv));
            env.put(WAVESTORE_APP_FILES_JSON.name(), json.writeValueAsString(files));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return env;
    }

    /**
     * Before anything is written. The launcher writes files into the app's directory only (a local app has no file
     * system of its own to put an absolute path into); a store without secrets cannot start an app that has some.
     */
    private void checkSecrets(InstanceSpec spec) {
        for (EnvVarSpec var : spec.env()) {
            if (var.secret().isPresent() && secrets.isEmpty()) {
                throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "env " + var.name() + " needs the secret '"
                        + var.secret().get() + "', and this local runtime has no secret store");
            }
        }
        for (FileSpec file : spec.files()) {
            if (file.secret().isPresent() && (secrets.isEmpty() || file.path().startsWith("/"))) {
                throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "file " + file.path() + " needs the secret '"
                        + file.secret().get() + "', and " + (secrets.isEmpty() ? "this local runtime has no secret store"
                        : "local instances get files only inside the app's directory: use a relative path"));
            }
        }
    }

    /** A secret's value as the launcher starts; one deleted or changed without the key since fails this start. */
    private String secretValue(String id, String key, String usedFor) {
        Map<String, String> values = secrets.flatMap(store -> store.values(id)).orElseThrow(() -> new RuntimeFailure(
                RuntimeFailure.Kind.FAILED, "the secret " + id + " for " + usedFor + " no longer exists"));
        String value = values.get(key);
        if (value == null) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "the secret " + id + " for " + usedFor + " has no key '"
                    + key + "' any more");
        }
        return value;
    }

    /** The spec as its record keeps it: no credential (each launcher start gets a fresh one). */
    private static InstanceSpec deployed(InstanceSpec spec, int revision) {
        InstanceRecord r = spec.record();
        InstanceRecord record = new InstanceRecord(r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(),
                r.ownerFullUser(), r.visibility(), r.suspended(), r.createdAt(), InstanceRecord.ReleaseState.DEPLOYED, revision,
                r.suspendedReason());
        InstanceSpec.LauncherSettings l = spec.launcher();
        return new InstanceSpec(record, spec.runtime(), spec.env(), spec.files(),
                new InstanceSpec.LauncherSettings(l.bundleUrl(), l.bundleSha256(), "", l.progressUrl(), l.baseUrl(), l.oidc()));
    }

    /**
     * A python app listens on its own Runtime.Port (the launcher tells it in PORT, and the chart does the same on
     * Kubernetes): that is the instance's port here, where the store probes and routes. Empty for Wave apps, which get
     * a free port for their waved.
     */
    private Optional<Integer> appPort(InstanceSpec spec) {
        if (!listensOnItsOwnPort(spec)) {
            return Optional.empty();
        }
        int port = spec.runtime().port().get();
        store.readAll().stream().filter(r -> r.port() == port && !r.spec().instanceId().equals(spec.instanceId()))
                .findFirst().ifPresent(other -> {
                    throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "the app listens on port " + port
                            + " (Runtime.Port), which local instance " + other.spec().instanceId() + " has already;"
                            + " on the local runtime two instances of a python app cannot run at once");
                });
        return Optional.of(port);
    }

    private static boolean listensOnItsOwnPort(InstanceSpec spec) {
        return spec.appMode() == AppMode.PYTHON && spec.runtime().port().isPresent();
    }

    private static void checkPortFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "the app listens on port " + port
                    + " (Runtime.Port), which another program on this machine uses already");
        }
    }

    /** Ready when the Wave server answers the app's base URL; a python app, when it answers HTTP at all. */
    private boolean answers(LocalRecord record) {
        String base = record.spec().launcher().baseUrl()
                + record.spec().launcher().oidc().map(oidc -> WaveOidc.PROBE_PATH).orElse("");
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + record.port() + base))
                    .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() < 400 || record.spec().appMode() == AppMode.PYTHON;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<String> lastLines(String instanceId, int count) {
        try (LogFileStream stream = new LogFileStream(store.dir(instanceId).resolve(LOG_FILE), count, false)) {
            List<String> lines = new java.util.ArrayList<>();
            for (Optional<String> line = stream.nextLine(); line.isPresent(); line = stream.nextLine()) {
                lines.add(line.get());
            }
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * A free loopback port that no other instance has: a suspended instance or one whose launcher is (re)starting on
     * another replica keeps its port without listening on it.
     */
    private int freePort() {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        store.readAll().forEach(r -> taken.add(r.port()));
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", 0));
                if (!taken.contains(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "no free loopback port: " + e.getMessage(), e);
            }
        }
        throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "no free loopback port that no instance has");
    }

    /**
     * The launcher reaches the store through the process that starts it: a record written by a replica that has
     * died since still names that replica's URL, and a launcher restarted from it would find nobody there.
     */
    private String viaThisStore(String url) {
        if (settings.storeUrl().isEmpty()) {
            return url;
        }
        int api = url.indexOf(API_PATH);
        return api < 0 ? url : settings.storeUrl().get() + url.substring(api);
    }

    private static RuntimeFailure notFound(String id) {
        return new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND, "no instance " + id);
    }
}
