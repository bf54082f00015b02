package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.router.fixture.WaveApp;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Wave server ({@code waved} 1.8.16 from PyPI) serving the store's example app (examples/hello-wave) through
 * the router, in both routing modes, driven over the Wave protocol by real WebSocket clients: the JDK's on the
 * store's host, pekko-http's on the app's own host name. The page, its assets, a file upload through {@code /_f/},
 * and the app's answers to events all pass through the router.
 */
@ExtendWith(PostgresExtension.class)
class WaveRouterIT {

    /** A failed test shows what waved and the apps said. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher WAVE_LOGS = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            for (WaveApp app : new WaveApp[] {baseWave, domainWave}) {
                if (app != null) {
                    System.out.println(app.logs());
                }
            }
        }
    };

    @TempDir
    static Path dataDir;

    @AutoClose
    static RouterFixture store;
    @AutoClose
    static WaveApp baseWave;
    @AutoClose
    static WaveApp domainWave;
    static String baseId;
    static String domainId;
    static HttpClient http;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir.resolve("store"), Map.of());
        Path appDir = dataDir.resolve("hello-wave");
        Files.createDirectories(appDir);
        Files.copy(exampleApp(), appDir.resolve("app.py"));
        AppLookup.AppRuntime base = store.apps.add("io.wavestore.hello-wave", "0.1.0", "alice", RoutingMode.BASE_URL);
        AppLookup.AppRuntime domain = store.apps.add("io.wavestore.hello-wave-domain", "0.1.0", "alice", RoutingMode.DOMAIN);

        // BASE_URL: the Wave server lives under /instance/<id>/, so the instance exists before it starts.
        baseId = store.start(base, "olga", Visibility.ALL_USERS);
        baseWave = WaveApp.start(appDir, "/instance/" + baseId + "/", dataDir.resolve("wave-base"));
        store.runtime.running(baseId, baseWave.address());
        store.awaitView(baseId, view -> view.health().ready());

        domainId = store.start(domain, "olga", Visibility.PUBLIC);
        domainWave = WaveApp.start(appDir, "/", dataDir.resolve("wave-domain"));
        store.runtime.running(domainId, domainWave.address());
        store.awaitView(domainId, view -> view.health().ready());
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void servesAWaveAppUnderTheStoresPath() throws Exception {
        String base = "/instance/" + baseId + "/";
        HttpResponse<String> page = get(base, "boris");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("data-base-url=\"" + base + "\"");
        String script = asset(page.body());
        assertThat(script).startsWith(base + "wave-static/");
        HttpResponse<String> js = get(script, "boris");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type").orElse("")).contains("javascript");

        WaveSocket session = openRendered(base, base, "boris");
        session.send("@ " + base + " {\"greet\":true,\"who\":\"Olga\"}");
        assertThat(session.awaitContaining("Hello, Olga!")).contains("Greetings from Wavestore");
        session.close();

        // Wave's file server, both ways.
        byte[] file = new byte[1024 * 1024 + 3];
        new java.util.Random(7).nextBytes(file);
        String boundary = "wavestore-router-test";
        byte[] body = multipart(boundary, "data.bin", file);
        HttpResponse<String> uploaded = http.send(request(base + "_f/", "boris")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        Matcher path = Pattern.compile("\"(/[^\"]+data\\.bin)\"").matcher(uploaded.body());
        assertThat(path.find()).as(uploaded.body()).isTrue();
        assertThat(path.group(1)).startsWith(base + "_f/");
        HttpResponse<byte[]> downloaded = http.send(request(path.group(1), "boris").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(file);
    }

    @Test
    void aWaveAppWorksUnderItsPrimaryAlias() throws Exception {
        store.alias("hello", baseId);
        try {
            HttpResponse<String> page = get("/instance/hello/", "boris");
            assertThat(page.statusCode()).isEqualTo(200);
            // The page still names its own base URL: assets and the socket go to the id's path, served in place.
            assertThat(page.body()).contains("data-base-url=\"/instance/" + baseId + "/\"");
            // The browser is on /instance/hello/: that is the route it asks for.
            WaveSocket session = openRendered("/instance/" + baseId + "/", "/instance/hello/", "boris");
            session.send("@ /instance/hello/ {\"greet\":true,\"who\":\"Alias\"}");
            assertThat(session.awaitContaining("Hello, Alias!")).isNotEmpty();
            session.close();
        } finally {
            store.deleteAlias("hello");
        }
    }

    @Test
    void aWaveSocketIsAuthorisedLikeThePage() throws Exception {
        String base = "/instance/" + baseId + "/";
        assertThat(RouterIT.statusOfUpgrade(http, "ws://localhost:" + store.port + base + "_s/",
                store.apps(), "anonymous")).isEqualTo(401);
        assertThat(get(base, "anonymous").statusCode()).isEqualTo(401);
    }

    @Test
    void servesAWaveAppOnItsOwnHostName() throws Exception {
        String host = domainId + ".localhost:" + store.port;
        try (PekkoClient client = new PekkoClient(store.system())) {
            var page = client.get(store.apps() + "/", host);
            String html = client.body(page);
            assertThat(page.status().intValue()).as(html).isEqualTo(200);
            assertThat(html).contains("data-base-url=\"/\"");
            String answers = client.converse("ws://localhost:" + store.port + "/_s/", host,
                    Optional.of("http://" + host), List.of("+ / ", "@ / {\"greet\":true,\"who\":\"Domain\"}"),
                    // Wave runs the app's handlers concurrently: the greeting can reach the client before the
                    // first render does, so read until both arrived, in either order.
                    all -> all.contains("Hello Wave") && all.contains("Hello, Domain!"));
            assertThat(answers).contains("Hello Wave").contains("Hello, Domain!");
        }
        // On the store's path, the DOMAIN app is sent to its host.
        HttpResponse<String> redirected = get("/instance/" + domainId + "/", null);
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("location")).hasValue("http://" + host + "/");
    }

    /**
     * Opens the page's socket and waits for the app's first render. Once in about ten runs on this machine, waved
     * sent a fresh client its id and then nothing for its subscription (the router had relayed it; the cause was not
     * found): the page is then opened once more on a new socket, as a person would reload, with both logs printed.
     */
    private static WaveSocket openRendered(String base, String route, String user) throws Exception {
        for (int attempt = 1; ; attempt++) {
            WaveSocket session = WaveSocket.open(http, "ws://localhost:" + store.port + base + "_s/",
                    store.apps(), user);
            session.send("+ " + route + " ");
            try {
                assertThat(session.awaitContaining("Hello Wave", java.time.Duration.ofSeconds(attempt == 1 ? 10 : 30)))
                        .contains("\"who\"");
                return session;
            } catch (AssertionError missed) {
                session.close();
                if (attempt == 2) {
                    throw missed;
                }
                System.out.println("WaveRouterIT: no first render in 10 s, opening the page again: " + missed.getMessage()
                        + "\n" + baseWave.logs());
            }
        }
    }

    private static Path exampleApp() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("examples/hello-wave/app.py"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("examples/hello-wave/app.py above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("examples/hello-wave/app.py");
    }

    /** The module script the Wave page loads (waved writes it under its base URL: <base>wave-static/index-<hash>.js). */
    private static String asset(String html) {
        Matcher script = Pattern.compile("src=\"([^\"]*wave-static/[^\"]+\\.js)\"").matcher(html);
        assertThat(script.find()).as(html).isTrue();
        return script.group(1);
    }

    private static byte[] multipart(String boundary, String name, byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(store.url(path))).timeout(Duration.ofSeconds(30));
        return user == null ? builder : builder.header("X-Dev-User", user);
    }

    private static HttpResponse<String> get(String path, String user) throws Exception {
        return http.send(request(path, user).build(), HttpResponse.BodyHandlers.ofString());
    }
}
