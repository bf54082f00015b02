package io.wavestore.launcher;

import io.wavestore.bundle.AppManifest;
import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.DurationFormat;
import io.wavestore.bundle.OpenedBundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one instance: fetch and verify the bundle, unpack it, install its dependencies, start waved and the app,
 * report each step to the store, then watch both children. The launcher never ends well: it ends when a child
 * dies (exit 1, reported as failed) or when it is told to stop (SIGTERM, passed on to the children).
 */
final class Launcher {
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;
    /** What a JVM stopped by SIGTERM exits with anyway. */
    static final int EXIT_STOPPED = 143;

    /**
     * How often waved and the app are probed while they start: a probe is one local request, and each step waited
     * half an interval on average for the next look (two steps in a Wave app's start).
     */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration FINAL_REPORT_WAIT = Duration.ofSeconds(10);
    /** How long after READY a Wave app may take to register its first route before the store is told it has none. */
    static final Duration ROUTE_GRACE = Duration.ofSeconds(10);

    private final LauncherConfig config;
    private final HttpClient http;
    private final InstanceCredential credential;
    private final ProgressReporter progress;
    private final Children children = new Children();
    private final ProcessRunner runner;
    private final Probes probes;
    private final Sandbox sandbox;
    private final WaveRoutes routes;
    private volatile boolean stopping;
    private volatile boolean finished;
    private volatile Step step = Step.DOWNLOADING_BUNDLE;

    Launcher(LauncherConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        this.credential = new InstanceCredential(config.token(), config.progressUrl(), http);
        this.progress = new ProgressReporter(config.instanceId(), config.progressUrl(), credential::current, http,
                Clock.systemUTC());
        this.sandbox = new Sandbox(config);
        this.runner = new ProcessRunner(children, config.stopGrace(), sandbox);
        // Probes never follow redirects: a waved that signs its visitors in (EnableOIDC) answers with one to its
        // sign-in, which would lead the probe to the identity provider and back.
        this.probes = new Probes(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        this.routes = new WaveRoutes(progress::routes);
    }

    /** Runs until the instance fails or is stopped; returns the exit code. */
    int run() {
        Path download = null;
        credential.renewEvery(config.credentialRenewInterval());
        try {
            progress.running(Step.DOWNLOADING_BUNDLE, config.bundleSource() instanceof LauncherConfig.BundleSource.Url
                    ? "Downloading the app's bundle from the store" : "Reading the app's bundle");
            Files.createDirectories(config.workDir().getParent());
            download = Files.createTempFile(config.workDir().getParent(), ".bundle-", ".wave");
            BundleFetcher.Fetched fetched = new BundleFetcher(http).fetch(config.bundleSource(), credential.current(),
                    config.bundleSha256(), download);

            step = Step.SOURCING_APP;
            progress.running(step, "Unpacking the bundle (SHA-256 " + fetched.sha256().substring(0, 12) + "...)");
            OpenedBundle bundle = AppSource.unpack(fetched.file(), config.workDir(), config.bundleLimits());
            Files.deleteIfExists(download);
            AppManifest manifest = bundle.manifest();
            AppMode mode = config.appMode().orElse(manifest.runtime().appMode());
            String module = config.appModule().or(() -> manifest.runtime().module())
                    .orElseThrow(() -> new LaunchFailure("app.toml names no Runtime.Module and "
                            + "WAVESTORE_APP_MODULE is not set: there is nothing to run"));
            AppFiles.write(config.appFiles(), bundle.root(), config.appFileRoots());
            AppFiles.copySecrets(config.appSecretFiles(), bundle.root(), config.appFileRoots());
            sandbox.handOver();

            step = Step.INSTALLING_DEPENDENCIES;
            progress.running(step, "Installing the dependencies of " + manifest.app().title() + " "
                    + manifest.app().version());
            Map<String, String> baseEnv = ChildEnvironment.base(config.environment(), config.appEnv());
            DependencyInstaller.Venv venv = new DependencyInstaller(config, runner, progress)
                    .install(bundle, mode, fetched.sha256(), baseEnv, Instant.now().plus(config.installTimeout()));
            sandbox.dependenciesInstalled();

            Instant deadline = Instant.now().plus(config.startTimeout());
            List<ChildProcess> running = mode == AppMode.WAVE
                    ? startWaveApp(bundle, venv, module, baseEnv, deadline)
                    : startPythonApp(bundle, venv, module, manifest, baseEnv, deadline);

            step = Step.READY;
            progress.ready(manifest.app().title() + " " + manifest.app().version() + " is ready");
            if (mode == AppMode.WAVE) {
                noticeWithoutRoutes(manifest.app().title() + " " + manifest.app().version(), module);
            }
            ChildProcess died = firstToExit(running);
            settle(died);
            throw new LaunchFailure(died.name() + " exited with code " + died.exitCode() + " while the instance was"
                    + " running" + FailureReason.pythonException(died.tail()).map(e -> ": " + e).orElse(""),
                    died.tail());
        } catch (LaunchFailure failure) {
            return fail(failure.getMessage(), failure.outputTail());
        } catch (IOException e) {
            return fail("the launcher could not use its directories: " + e, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("the launcher was interrupted", List.of());
        } catch (RuntimeException e) {
            return fail("the launcher failed unexpectedly: " + e, List.of());
        } finally {
            deleteQuietly(download);
            credential.close();
            finished = true;
        }
    }

    /** SIGTERM (a JVM shutdown hook): stop the children, app first, and report nothing more. */
    void shutdown() {
        if (!finished) {
            Log.info("asked to stop: stopping the children");
        }
        stopping = true;
        children.stopAll(config.stopGrace());
        progress.close();
    }

    private int fail(String message, List<String> outputTail) {
        if (stopping) {
            return EXIT_STOPPED;
        }
        progress.failed(step, message, outputTail);
        children.stopAll(config.stopGrace());
        if (!progress.flush(FINAL_REPORT_WAIT)) {
            Log.info("the store did not take the failure report in time");
        }
        return EXIT_FAILED;
    }

    private List<ChildProcess> startWaveApp(OpenedBundle bundle, DependencyInstaller.Venv venv, String module,
                                            Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException, IOException {
        step = Step.STARTING_WAVE_SERVER;
        progress.running(step, "Starting the Wave server on " + config.listen() + " at " + config.baseUrl());
        Map<String, String> keys = accessKeys(baseEnv);
        Files.createDirectories(config.waveDataDir());
        Map<String, String> wavedEnv = ChildEnvironment.inVenv(baseEnv, venv.dir());
        wavedEnv.putAll(keys);
        wavedEnv.put("H2O_WAVE_LISTEN", config.listen().toString());
        wavedEnv.put("H2O_WAVE_BASE_URL", config.baseUrl());
        wavedEnv.put("H2O_WAVE_WEB_DIR", venv.webDir().toString());
        String dataDir = wavedDataDir().toString();
        wavedEnv.put("H2O_WAVE_DATA_DIR", dataDir);
        Map<String, String> oidc = WaveOidcEnvironment.forWaved(config.environment());
        wavedEnv.putAll(oidc);
        ChildProcess waved = runner.start("waved", List.of(venv.waved().toString(),
                "-listen", config.listen().toString(), "-base-url", config.baseUrl(),
                "-web-dir", venv.webDir().toString(), "-data-dir", dataDir),
                config.waveDataDir(), wavedEnv, routes);
        URI wavedUri = URI.create("http://" + config.listen().probeHost() + ":" + config.listen().port()
                + config.baseUrl() + (oidc.isEmpty() ? "" : WaveOidcEnvironment.PROBE_PATH));
        awaitReady("the Wave server answered at " + wavedUri, () -> probes.answers(wavedUri),
                List.of(waved), waved, deadline);

        step = Step.STARTING_APP;
        int appPort = Probes.freeLoopbackPort();
        progress.running(step, "Starting the app (python -m h2o_wave run " + module + ")");
        Map<String, String> appEnv = ChildEnvironment.inVenv(baseEnv, venv.dir());
        appEnv.putAll(keys);
        appEnv.put("H2O_WAVE_ADDRESS", "http://" + config.listen().probeHost() + ":" + config.listen().port());
        appEnv.put("H2O_WAVE_APP_ADDRESS", "http://127.0.0.1:" + appPort);
        appEnv.put("H2O_WAVE_BASE_URL", config.baseUrl());
        // Wave's runner decides by H2O_WAVE_LISTEN's port whether it started waved itself (nothing listening on it:
        // then it thinks the venv is waved's home and copies q.site.upload's files into the venv's data folder). The
        // absolute data directory makes uploads a copy into the folder waved serves, whatever else listens where.
        appEnv.put("H2O_WAVE_LISTEN", config.listen().toString());
        appEnv.put("H2O_WAVE_WAVED_DIR", config.waveDataDir().toAbsolutePath().toString());
        appEnv.put("H2O_WAVE_DATA_DIR", dataDir);
        // Wave's own runner: uvicorn serving `<module>:main`, which registers the app with waved before it
        // listens. A Wave app module usually has no __main__ block, so `python -m <module>` would just exit.
        ChildProcess app = runner.start("app", List.of(venv.python().toString(), "-m", "h2o_wave", "run",
                "--no-reload", "--no-autostart", module), bundle.root(), appEnv);
        awaitReady("the app registered with the Wave server",
                () -> Probes.listening("127.0.0.1", appPort) && probes.answers(wavedUri),
                List.of(app, waved), app, deadline);
        return List.of(app, waved);
    }

    private List<ChildProcess> startPythonApp(OpenedBundle bundle, DependencyInstaller.Venv venv, String module,
                                              AppManifest manifest, Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException {
        step = Step.STARTING_APP;
        int port = config.appPort().or(() -> manifest.runtime().port()).orElseThrow(() -> new LaunchFailure(
                "a python app needs Runtime.Port in app.toml (or WAVESTORE_APP_PORT): the port it listens on"));
        progress.running(step, "Starting the app (python -m " + module + ", port " + port + ")");
        Map<String, String> env = ChildEnvironment.inVenv(baseEnv, venv.dir());
        env.put("PORT", Integer.toString(port));
        env.put("H2O_WAVE_BASE_URL", config.baseUrl());
        ChildProcess app = runner.start("app", List.of(venv.python().toString(), "-m", module), bundle.root(), env);
        URI uri = URI.create("http://127.0.0.1:" + port + "/");
        awaitReady("the app answered on port " + port, () -> probes.status(uri) > 0, List.of(app), app, deadline);
        return List.of(app);
    }

    /**
     * A Wave app without a registered route shows only Wave's logo: if none is there {@link #ROUTE_GRACE} after READY,
     * the progress says so (the instance stays up: the app may still register one, and then the store hears of it).
     */
    private void noticeWithoutRoutes(String app, String module) {
        CompletableFuture.delayedExecutor(ROUTE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (routes.current().isEmpty() && !stopping && !finished) {
                progress.readyNotice(app + " is running, but its app registered no route with the Wave server within "
                        + DurationFormat.format(ROUTE_GRACE) + ": its pages show nothing (does " + module
                        + " have an @app handler?)");
            }
        });
    }

    /** Where waved keeps the files apps upload (absolute: the app works in another directory). */
    private Path wavedDataDir() {
        return config.waveDataDir().toAbsolutePath().resolve("data");
    }

    @FunctionalInterface
    private interface Probe {
        boolean check() throws InterruptedException;
    }

    private void awaitReady(String what, Probe probe, List<ChildProcess> watched, ChildProcess blamed,
                            Instant deadline) throws LaunchFailure, InterruptedException {
        while (true) {
            if (stopping) {
                throw new LaunchFailure("stopping");
            }
            for (ChildProcess child : watched) {
                if (!child.isAlive()) {
                    settle(child);
                    throw new LaunchFailure(child.name() + " exited with code " + child.exitCode() + " before "
                            + what + FailureReason.pythonException(child.tail()).map(e -> ": " + e).orElse(""),
                            child.tail());
                }
            }
            if (probe.check()) {
                Log.info(what);
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LaunchFailure("waited " + DurationFormat.format(config.startTimeout()) + " (WAVESTORE_START_"
                        + "TIMEOUT), but never saw that " + what, blamed.tail());
            }
            Thread.sleep(PROBE_INTERVAL.toMillis());
        }
    }

    /**
     * A signal to the launcher's whole process group (Ctrl-C in a terminal, {@code timeout}, {@code kill -- -pgid})
     * reaches the children as soon as the launcher, and a child may be seen dead before the shutdown hook has
     * said that we are stopping. A child killed by a signal therefore gets a moment for that hook, so a stop is
     * not reported as a failure.
     */
    private void settle(ChildProcess died) throws InterruptedException {
        if (died.exitCode() > 128) {
            for (int i = 0; i < 20 && !stopping; i++) {
                Thread.sleep(50);
            }
        }
    }

    private static ChildProcess firstToExit(List<ChildProcess> running) throws InterruptedException {
        CompletableFuture<?>[] exits = running.stream().map(c -> c.process().onExit())
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.anyOf(exits).get();
        } catch (ExecutionException e) {
            // onExit never completes exceptionally; fall through to find the dead one
        }
        for (ChildProcess child : running) {
            if (!child.isAlive()) {
                return child;
            }
        }
        throw new IllegalStateException("a child exited but every child is alive");
    }

    /**
     * waved trusts the apps that know its access key. Its default key is the same everywhere, so unless the
     * instance brings its own, each start makes a new one and gives it to waved and the app only.
     */
    private static Map<String, String> accessKeys(Map<String, String> baseEnv) {
        String id = baseEnv.get(LauncherVariable.H2O_WAVE_ACCESS_KEY_ID.name());
        String secret = baseEnv.get(LauncherVariable.H2O_WAVE_ACCESS_KEY_SECRET.name());
        if (id != null && !id.isEmpty() && secret != null && !secret.isEmpty()) {
            return Map.of("H2O_WAVE_ACCESS_KEY_ID", id, "H2O_WAVE_ACCESS_KEY_SECRET", secret);
        }
        SecureRandom random = new SecureRandom();
        byte[] idBytes = new byte[12];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        return Map.of("H2O_WAVE_ACCESS_KEY_ID", HexFormat.of().formatHex(idBytes),
                "H2O_WAVE_ACCESS_KEY_SECRET", Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes));
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                Log.info("could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    static List<String> describe(LauncherConfig config) {
        List<String> lines = new ArrayList<>();
        lines.add("instance " + config.instanceId() + ", bundle " + (config.bundleSource()
                instanceof LauncherConfig.BundleSource.Url u ? u.uri() : ((LauncherConfig.BundleSource.File)
                config.bundleSource()).path()));
        lines.add("app in " + config.workDir() + ", venv in " + config.venvDir() + ", waved on " + config.listen()
                + " at " + config.baseUrl());
        lines.add(config.sandbox().enabled() ? "children run in a bubblewrap sandbox" + config.sandbox().uid()
                .stream().mapToObj(uid -> " as user " + uid).findFirst().orElse(" (user namespace)")
                : "children run unconfined");
        return lines;
    }
}
