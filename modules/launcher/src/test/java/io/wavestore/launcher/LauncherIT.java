package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.BundlePacker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * End to end with real processes: a stand-in store on loopback, the example app packed with the bundle
 * module's packer, the packaged launcher jar as a child JVM, real pip (from the configured index, with a shared
 * cache under {@code ${WAVESTORE_CACHE:-~/.cache/wavestore}/pip}), real waved and the real app.
 */
class LauncherIT {
    private static final Duration INSTALL_WAIT = Duration.ofMinutes(10);
    private static final Duration QUICK_WAIT = Duration.ofMinutes(2);

    private static Path jar;
    private static Path examples;
    private static Path itDir;
    private static Path pipCache;
    private static Path dependencyCache;
    private static Path uv;
    /** Shared by the tests whose requirements are the example's: the second one reuses it. */
    private static Path waveVenv;

    private StoreStub store;
    private final List<LauncherProcess> launchers = new ArrayList<>();
    private String testName;

    @BeforeAll
    static void locate() throws Exception {
        jar = Path.of(System.getProperty("wavestore.launcher.jar", "target/wavestore-launcher-0.1.0-SNAPSHOT.jar"));
        examples = Path.of(System.getProperty("wavestore.examples.dir", "../../examples"));
        itDir = Path.of(System.getProperty("wavestore.it.dir", "target/launcher-it")).toAbsolutePath();
        assertThat(jar).as("the packaged launcher (mvn package)").exists();
        String cache = System.getenv("WAVESTORE_CACHE");
        pipCache = (cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "wavestore")
                : Path.of(cache)).resolve("pip");
        Files.createDirectories(pipCache);
        // Kept across runs like pip's cache: a second run builds no environment the first built.
        dependencyCache = pipCache.resolveSibling("dependency-cache");
        uv = Path.of(Optional.ofNullable(System.getenv("WAVESTORE_UV")).filter(s -> !s.isBlank())
                .orElse(pipCache.resolveSibling("uv-venv").resolve("bin").resolve("uv").toString()));
        assertThat(Files.isExecutable(uv)).as("these tests need uv (.ci/run installs it from PyPI into "
                + uv + "; or set WAVESTORE_UV)").isTrue();
        if (Files.exists(itDir)) {
            AppSource.emptyDirectory(itDir);
        }
        Files.createDirectories(itDir);
        waveVenv = itDir.resolve("venv-hello-wave");
        Process probe = new ProcessBuilder("python3", "-c", "import venv, ensurepip").redirectErrorStream(true).start();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0)
                .as("these tests need python3 with venv and ensurepip (Debian: apt-get install python3-venv)")
                .isTrue();
    }

    @org.junit.jupiter.api.BeforeEach
    void startStore(TestInfo info) throws IOException {
        store = new StoreStub();
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void cleanUp() {
        launchers.forEach(LauncherProcess::close);
        store.close();
    }

    @Test
    void helloWaveStartsReportsEveryStepServesItsPageAndStopsCleanlyOnSigterm() throws Exception {
        String id = "hello-1";
        Path bundle = packAndServe(examples.resolve("hello-wave"), id);
        int port = Probes.freeLoopbackPort();
        Map<String, String> env = env(id, Digests.sha256(bundle), waveVenv, port);

        LauncherProcess launcher = launch(env);
        StoreStub.Received ready = store.await(id, r -> r.step().equals("READY"), INSTALL_WAIT, launcher);
        long startToReadyMs = Duration.between(launcher.startedAt, ready.at()).toMillis();
        System.out.println("[LauncherIT] launcher start to READY: " + startToReadyMs + " ms ("
                + store.summary(id) + ")");

        List<StoreStub.Received> reports = store.reports(id);
        assertThat(reports).allMatch(StoreStub.Received::accepted);
        assertThat(reports.stream().map(StoreStub.Received::step).distinct()).containsExactly("DOWNLOADING_BUNDLE",
                "SOURCING_APP", "INSTALLING_DEPENDENCIES", "STARTING_WAVE_SERVER", "STARTING_APP", "READY");
        assertThat(reports.subList(0, reports.size() - 1)).allMatch(r -> r.state().equals("running"));
        assertThat(ready.state()).isEqualTo("done");
        assertThat(reports).extracting(r -> r.json().get("sequence").asLong()).isSorted();
        assertThat(store.bundleAnswers(id)).containsExactly(200);

        // waved serves the app's page under the base URL, and the app answers through it.
        String base = "/instance/" + id + "/";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + base))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
        try (WaveClient wave = WaveClient.connect(http, port, base)) {
            assertThat(wave.open()).as("the app's first page").contains("Hello Wave").contains("\"greet\"");
            assertThat(wave.submit("{\"greet\":true,\"who\":\"Wavestore IT\"}"))
                    .contains("Hello, Wavestore IT! Greetings from Wavestore.");
        }

        // SIGTERM reaches waved and the app; nothing is left behind.
        List<ProcessHandle> children = launcher.handle().descendants().toList();
        assertThat(children).extracting(p -> p.info().command().orElse("")).anyMatch(c -> c.endsWith("waved"))
                .anyMatch(c -> c.contains("python"));
        launcher.terminate();
        int code = launcher.awaitExit(Duration.ofSeconds(40));
        assertThat(code).as("stopped by SIGTERM").isEqualTo(Launcher.EXIT_STOPPED);
        for (ProcessHandle child : children) {
            assertThat(child.onExit()).as("pid " + child.pid() + " " + child.info().command().orElse(""))
                    .succeedsWithin(Duration.ofSeconds(5));
        }
        assertThat(Probes.listening("127.0.0.1", port)).as("waved's port is closed").isFalse();
        assertThat(store.reports(id)).as("a stop is not a failure").noneMatch(r -> r.state().equals("failed"));
        assertThat(launcher.output()).contains("[waved]", "[app]", "[launcher] READY done")
                .doesNotContain(StoreStub.tokenFor(id));
    }

    @Test
    void whenWavedDiesAfterReadyTheInstanceFailsAndTheAppIsStopped() throws Exception {
        String id = "dies-1";
        Path bundle = packAndServe(examples.resolve("hello-wave"), id);
        int port = Probes.freeLoopbackPort();
        LauncherProcess launcher = launch(env(id, Digests.sha256(bundle), waveVenv, port));
        store.await(id, r -> r.step().equals("READY"), INSTALL_WAIT, launcher);

        List<ProcessHandle> children = launcher.handle().descendants().toList();
        ProcessHandle waved = children.stream().filter(p -> p.info().command().orElse("").endsWith("waved"))
                .findFirst().orElseThrow();
        waved.destroyForcibly();

        StoreStub.Received failed = store.await(id, r -> r.state().equals("failed"), QUICK_WAIT, launcher);
        assertThat(failed.step()).isEqualTo("READY");
        assertThat(failed.message()).isEqualTo("waved exited with code 137 while the instance was running");
        assertThat(failed.outputTail()).as("waved's last lines").anyMatch(l -> l.contains("app_add"));
        assertThat(launcher.awaitExit(QUICK_WAIT)).isEqualTo(Launcher.EXIT_FAILED);
        for (ProcessHandle child : children) {
            assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    @Test
    void anAppThatRaisesAtImportFailsAtStartingAppWithItsTraceback() throws Exception {
        String id = "crash-1";
        Path src = copyExample("hello-wave", id);
        Files.writeString(src.resolve("app.py"), "import h2o_wave  # noqa\n\n\ndef boom():\n"
                + "    raise RuntimeError('wavestore-it: the app fails at import')\n\n\nboom()\n");
        Path bundle = packAndServe(src, id);
        int port = Probes.freeLoopbackPort();
        LauncherProcess launcher = launch(env(id, Digests.sha256(bundle), waveVenv, port));

        StoreStub.Received failed = store.await(id, r -> r.state().equals("failed"), INSTALL_WAIT, launcher);
        assertThat(failed.step()).isEqualTo("STARTING_APP");
        assertThat(failed.message()).contains("app exited with code")
                .endsWith(": RuntimeError: wavestore-it: the app fails at import");
        // The end of the traceback: the app's own frame and the error.
        assertThat(failed.outputTail()).anyMatch(l -> l.contains("/crash-1/app/app.py\", line"))
                .anyMatch(l -> l.contains("RuntimeError: wavestore-it: the app fails at import"));
        assertThat(launcher.awaitExit(QUICK_WAIT)).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(store.reports(id)).noneMatch(r -> r.step().equals("READY"));
        assertNoProcessMentions("127.0.0.1:" + port);
    }

    @Test
    void requirementsThatCannotInstallFailAtInstallingDependenciesWithPipsOutput() throws Exception {
        String id = "badreq-1";
        Path src = copyExample("hello-wave", id);
        // --no-index: pip looks for the package nowhere but the (empty) local links, so the test asks no index
        // about a name that does not exist.
        Files.writeString(src.resolve("requirements.txt"), "--no-index\nwavestore-it-no-such-package==0.0.1\n");
        Path bundle = packAndServe(src, id);
        LauncherProcess launcher = launch(env(id, Digests.sha256(bundle), itDir.resolve("venv-" + id),
                Probes.freeLoopbackPort()));

        StoreStub.Received failed = store.await(id, r -> r.state().equals("failed"), INSTALL_WAIT, launcher);
        assertThat(failed.step()).isEqualTo("INSTALLING_DEPENDENCIES");
        assertThat(failed.message()).contains("failed with exit code")
                .contains("package wavestore-it-no-such-package: ");
        assertThat(failed.outputTail()).anyMatch(l -> l.contains("wavestore-it-no-such-package"));
        assertThat(launcher.awaitExit(QUICK_WAIT)).isEqualTo(Launcher.EXIT_FAILED);
    }

    @Test
    void aLauncherKilledWhileItBuildsTheEnvironmentLeavesTheDependencyCacheUsable() throws Exception {
        Path src = copyExample("hello-wave", "kill9");
        // Requirements no earlier run built, so the environment is built (uv's downloads may be there already).
        Files.writeString(src.resolve("requirements.txt"), "h2o-wave>=1.0,<2\n# wavestore-it kill -9 "
                + System.nanoTime() + "\n");
        Path bundle = pack(src, "kill9");
        store.serve("kill9-1", bundle);
        store.serve("kill9-2", bundle);
        LauncherProcess killed = launch(env("kill9-1", Digests.sha256(bundle), itDir.resolve("venv-kill9-1"),
                Probes.freeLoopbackPort()));
        Awaitility.await().atMost(INSTALL_WAIT).until(() -> killed.output().contains("[uv] "));
        killed.close(); // SIGKILL to the launcher and uv: no hook, no cleanup
        assertThat(killed.awaitExit(QUICK_WAIT)).isEqualTo(137);

        String id = "kill9-2";
        LauncherProcess launcher = launch(env(id, Digests.sha256(bundle), itDir.resolve("venv-" + id),
                Probes.freeLoopbackPort()));
        store.await(id, r -> r.step().equals("READY"), INSTALL_WAIT, launcher);
        assertThat(store.reports(id)).as("the killed build was never taken for a finished one")
                .anyMatch(r -> r.message().startsWith("Building the virtual environment with uv"))
                .noneMatch(r -> r.state().equals("failed"));
        try (Stream<Path> venvs = Files.list(dependencyCache.resolve("venvs"))) {
            assertThat(venvs.map(p -> p.getFileName().toString())).as("the killed build's leftover is gone")
                    .noneMatch(n -> n.startsWith(".building-"));
        }
    }

    @Test
    void aBundleWhoseDigestDiffersFailsAtDownloadingBundle() throws Exception {
        String id = "digest-1";
        Path bundle = packAndServe(examples.resolve("hello-wave"), id);
        String promised = Digests.sha256("some other bundle".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LauncherProcess launcher = launch(env(id, promised, itDir.resolve("venv-" + id), Probes.freeLoopbackPort()));

        StoreStub.Received failed = store.await(id, r -> r.state().equals("failed"), QUICK_WAIT, launcher);
        assertThat(failed.step()).isEqualTo("DOWNLOADING_BUNDLE");
        assertThat(failed.message()).contains("SHA-256").contains(promised).contains(Digests.sha256(bundle));
        assertThat(launcher.awaitExit(QUICK_WAIT)).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(itDir.resolve(id).resolve("app")).as("nothing unpacked").doesNotExist();
    }

    @Test
    void aWrongCredentialGets401AndFails() throws Exception {
        String id = "token-1";
        Path bundle = packAndServe(examples.resolve("hello-wave"), id);
        Map<String, String> env = env(id, Digests.sha256(bundle), itDir.resolve("venv-" + id),
                Probes.freeLoopbackPort());
        env.put("WAVESTORE_INSTANCE_TOKEN", StoreStub.tokenFor("another-instance"));
        LauncherProcess launcher = launch(env);

        assertThat(launcher.awaitExit(QUICK_WAIT)).isEqualTo(Launcher.EXIT_FAILED);
        assertThat(store.bundleAnswers(id)).containsExactly(401);
        // The store refuses the progress posts of a wrong credential too; the launcher tried to say why.
        assertThat(store.reports(id)).noneMatch(StoreStub.Received::accepted)
                .anyMatch(r -> r.step().equals("DOWNLOADING_BUNDLE") && r.state().equals("failed")
                        && r.message().contains("HTTP 401"));
        assertThat(launcher.output()).contains("DOWNLOADING_BUNDLE failed")
                .doesNotContain(StoreStub.tokenFor("another-instance"));
    }

    @Test
    void aPlainPythonAppRunsOnItsPortWithTheInstancesEnvAndFiles() throws Exception {
        String id = "plain-1";
        Path src = Files.createDirectories(itDir.resolve("sources").resolve(id));
        Files.writeString(src.resolve("app.toml"), "[App]\nName = \"io.wavestore.it-plain\"\nVersion = \"1.0.0\"\n"
                + "[Runtime]\nModule = \"server\"\nAppMode = \"python\"\nPort = 8000\n");
        Files.writeString(src.resolve("server.py"), String.join("\n",
                "import os",
                "from http.server import BaseHTTPRequestHandler, HTTPServer",
                "",
                "",
                "class Handler(BaseHTTPRequestHandler):",
                "    def do_GET(self):",
                "        with open('conf/greeting.txt') as f:",
                "            parts = [os.environ.get('GREETING', ''), f.read(), os.environ.get('H2O_WAVE_BASE_URL', ''),",
                "                     str(any(k.startswith('WAVESTORE_') for k in os.environ))]",
                "        body = '|'.join(parts).encode()",
                "        self.send_response(200)",
                "        self.send_header('Content-Length', str(len(body)))",
                "        self.end_headers()",
                "        self.wfile.write(body)",
                "",
                "",
                "HTTPServer(('127.0.0.1', int(os.environ['PORT'])), Handler).serve_forever()",
                ""));
        Path bundle = packAndServe(src, id);
        int appPort = Probes.freeLoopbackPort();
        Map<String, String> env = env(id, Digests.sha256(bundle), itDir.resolve("venv-" + id), Probes.freeLoopbackPort());
        env.put("WAVESTORE_APP_PORT", Integer.toString(appPort));
        env.put("WAVESTORE_APP_ENV_JSON", "{\"GREETING\":\"hi from env\"}");
        env.put("WAVESTORE_APP_FILES_JSON", "{\"conf/greeting.txt\":\"hi from a file\"}");
        LauncherProcess launcher = launch(env);

        store.await(id, r -> r.step().equals("READY"), INSTALL_WAIT, launcher);
        assertThat(store.reports(id).stream().map(StoreStub.Received::step).distinct()).as("no waved for a python app")
                .containsExactly("DOWNLOADING_BUNDLE", "SOURCING_APP", "INSTALLING_DEPENDENCIES", "STARTING_APP", "READY");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + appPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).as("env, file, base URL, and no launcher variable leaked")
                .isEqualTo("hi from env|hi from a file|/instance/plain-1/|False");

        launcher.terminate();
        assertThat(launcher.awaitExit(Duration.ofSeconds(30))).isEqualTo(Launcher.EXIT_STOPPED);
        assertThat(Probes.listening("127.0.0.1", appPort)).isFalse();
    }

    private Map<String, String> env(String id, String sha256, Path venv, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("WAVESTORE_INSTANCE_ID", id);
        env.put("WAVESTORE_BUNDLE_URL", store.bundleUrl(id).toString());
        env.put("WAVESTORE_BUNDLE_SHA256", sha256);
        env.put("WAVESTORE_INSTANCE_TOKEN", StoreStub.tokenFor(id));
        env.put("WAVESTORE_PROGRESS_URL", store.progressUrl(id).toString());
        env.put("WAVESTORE_WORK_DIR", itDir.resolve(id).resolve("app").toString());
        env.put("WAVESTORE_VENV_DIR", venv.toString());
        env.put("WAVESTORE_LISTEN_ADDRESS", "127.0.0.1:" + port);
        env.put("H2O_WAVE_BASE_URL", "/instance/" + id + "/");
        env.put("WAVESTORE_SYSTEM_PACKAGES", "skip");
        env.put("WAVESTORE_START_TIMEOUT", "90s");
        env.put("WAVESTORE_STOP_GRACE", "5s");
        env.put("WAVESTORE_APP_ENV_JSON", "{\"WAVESTORE_IT\":\"1\"}");
        env.put("PIP_CACHE_DIR", pipCache.toString());
        env.put(DependencyInstaller.CACHE, dependencyCache.toString());
        env.put(Uv.VARIABLE, uv.toString());
        return env;
    }

    private LauncherProcess launch(Map<String, String> env) throws IOException {
        LauncherProcess launcher = LauncherProcess.start(jar, env, itDir.resolve(testName + ".log"));
        launchers.add(launcher);
        return launcher;
    }

    private static Path pack(Path appDir, String id) throws IOException {
        Path wave = itDir.resolve("bundles").resolve(id + ".wave");
        BundlePacker.pack(appDir, wave);
        return wave;
    }

    /** The app packed as a bundle that the store stub serves for instance {@code id}. */
    private Path packAndServe(Path appDir, String id) throws IOException {
        Path bundle = pack(appDir, id);
        store.serve(id, bundle);
        return bundle;
    }

    private static Path copyExample(String name, String id) throws IOException {
        Path from = examples.resolve(name);
        Path to = itDir.resolve("sources").resolve(id);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void assertNoProcessMentions(String text) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            List<String> strays = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                    .contains(text)).map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
            if (strays.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("processes left behind that mention " + text);
    }

    /** Speaks Wave's browser protocol over a WebSocket: {@code + <page>} to open it, {@code @ <page> <args>}. */
    static final class WaveClient implements AutoCloseable {
        private final WebSocket socket;
        private final BlockingQueue<String> messages;
        private final String page;

        private WaveClient(WebSocket socket, BlockingQueue<String> messages, String page) {
            this.socket = socket;
            this.messages = messages;
            this.page = page;
        }

        static WaveClient connect(HttpClient http, int port, String base) throws Exception {
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + base + "_s/"),
                    new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                messages.add(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            return new WaveClient(socket, messages, base);
        }

        String open() throws Exception {
            socket.sendText("+ " + page + " ", true).get(5, TimeUnit.SECONDS);
            return awaitMessage("\"d\"");
        }

        String submit(String args) throws Exception {
            socket.sendText("@ " + page + " " + args, true).get(5, TimeUnit.SECONDS);
            return awaitMessage("\"d\"");
        }

        private String awaitMessage(String containing) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                String m = messages.poll(200, TimeUnit.MILLISECONDS);
                if (m != null) {
                    seen.add(m);
                    if (m.contains(containing)) {
                        return m;
                    }
                }
            }
            throw new AssertionError("no Wave message with " + containing + "; saw " + seen);
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
