package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.router.fixture.WebSocketBackend;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.LaunchProgress;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.TextMessages;

/**
 * The router in a real cluster of one with sharded instance actors, in front of real servers on loopback: a plain
 * HTTP server (the JDK's) and a WebSocket server, reached with the JDK's HTTP and WebSocket clients and, where they
 * refuse (Host of an app domain, hop-by-hop headers), with HTTP written on a socket.
 */
@ExtendWith(PostgresExtension.class)
class RouterIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @AutoClose
    static RouterFixture store;
    @AutoClose
    static PlainBackend a;
    @AutoClose
    static PlainBackend b;
    @AutoClose
    static WebSocketBackend ws;
    static AppLookup.AppRuntime baseApp;
    static AppLookup.AppRuntime baseAppV2;
    static AppLookup.AppRuntime domainApp;
    static HttpClient http;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of("wavestore.router.max-request-bytes", "96MiB",
                "wavestore.router.connect-timeout", "2s"));
        a = new PlainBackend("a");
        b = new PlainBackend("b");
        ws = new WebSocketBackend(store.system());
        baseApp = store.apps.add("base-app", "1.0.0", "alice", RoutingMode.BASE_URL);
        baseAppV2 = store.apps.add("base-app", "2.0.0", "alice", RoutingMode.BASE_URL);
        domainApp = store.apps.add("domain-app", "1.0.0", "alice", RoutingMode.DOMAIN);
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    // ---- HTTP

    @Test
    void forwardsWithoutTheStoresCredentialsOrHopByHopHeaders() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PRIVATE, a.address());
        RawHttp.Response response = RawHttp.send(store.port, String.join("\n",
                "GET /instance/" + id + "/echo?x=1&y=%2F HTTP/1.1",
                "Host: localhost:" + store.port,
                "X-Dev-User: olga",
                "Authorization: Bearer store-token",
                "Proxy-Authorization: Basic c2VjcmV0",
                "Cookie: wavestore_session=abc; app_pref=dark",
                "Cookie: __Host-wavestore-csrf=x",
                "Keep-Alive: timeout=5",
                "TE: trailers",
                "X-Hop-Secret: only-for-the-next-hop",
                "Connection: X-Hop-Secret",
                "X-Forwarded-For: 6.6.6.6",
                "X-Forwarded-Host: evil.example",
                "X-Real-IP: 6.6.6.6",
                "X-App-Header: kept"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.get("path").asText()).isEqualTo("/instance/" + id + "/echo");
        assertThat(echo.get("query").asText()).isEqualTo("x=1&y=%2F");
        JsonNode headers = echo.get("headers");
        assertThat(headers.has("authorization")).isFalse();
        assertThat(headers.has("proxy-authorization")).isFalse();
        assertThat(headers.has("x-dev-user")).isFalse();
        assertThat(headers.has("keep-alive")).isFalse();
        assertThat(headers.has("te")).isFalse();
        assertThat(headers.has("x-hop-secret")).isFalse();
        assertThat(headers.has("x-real-ip")).isFalse();
        assertThat(headers.get("cookie").get(0).asText()).isEqualTo("app_pref=dark");
        assertThat(headers.get("x-app-header").get(0).asText()).isEqualTo("kept");
        assertThat(headers.get("host").get(0).asText()).isEqualTo("localhost:" + store.port);
        assertThat(headers.get("x-forwarded-for").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(headers.get("x-forwarded-proto").get(0).asText()).isEqualTo("http");
        assertThat(headers.get("x-forwarded-host").get(0).asText()).isEqualTo("localhost:" + store.port);
        assertThat(headers.get("x-forwarded-prefix").get(0).asText()).isEqualTo("/instance/" + id);
    }

    @Test
    void appsCannotSetTheStoresCookies() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        HttpResponse<String> response = get("/instance/" + id + "/cookies", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("set-cookie")).containsExactly("app_pref=dark; Path=/");
    }

    @Test
    void streamsResponsesAsTheyCome() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        a.gate = new CountDownLatch(1);
        HttpResponse<InputStream> response = http.send(request("/instance/" + id + "/gate", null).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] first = body.readNBytes(6);
            // The backend has not finished its answer: the router passed the first part on at once.
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first\n");
            a.gate.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("rest\n");
        }
    }

    @Test
    void streamsLargeAndChunkedDownloads() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        long size = 300L * 1024 * 1024 + 17;
        HttpResponse<InputStream> response = http.send(request("/instance/" + id + "/download?bytes=" + size, null).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("content-length")).hasValue(size);
        assertThat(digest(response.body())).isEqualTo(patternDigest(size));

        HttpResponse<byte[]> chunked = http.send(request("/instance/" + id + "/chunked?chunks=500&size=999", null).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).hasSize(500 * 999);
        assertThat(chunked.headers().firstValue("content-length")).isEmpty();
    }

    @Test
    void streamsUploadsWithoutHoldingThem() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        a.uploadStarted = new CountDownLatch(1);
        long size = 80L * 1024 * 1024;
        // The client sends 1 MiB and then waits until the app has bytes: a router that held the body would hang here.
        CountDownLatch started = a.uploadStarted;
        InputStream body = new PatternStream(size, 1024 * 1024, started);
        HttpResponse<String> response = http.send(request("/instance/" + id + "/upload", null)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.get("bytes").asLong()).isEqualTo(size);
        assertThat(answer.get("sha256").asText()).isEqualTo(patternDigest(size));
    }

    @Test
    void refusesBodiesOverTheLimit() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        // The client declares the size and waits for "100 Continue" (as curl does for large bodies): the router
        // answers at once, without the body. (The JDK's client cannot be used here: on Java 17 it hangs when a
        // server answers such a request with a final status; and a client that sends without waiting races the
        // closed connection, and may see a broken pipe instead of the answer.)
        RawHttp.Response response = RawHttp.send(store.port, "POST /instance/" + id + "/upload HTTP/1.1\nHost: localhost:"
                + store.port + "\nContent-Type: application/octet-stream\nContent-Length: " + (97L * 1024 * 1024)
                + "\nExpect: 100-continue");
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).contains("wavestore.router.max-request-bytes");
    }

    // ---- who may open what

    @Test
    void authorisesEveryRequestWithTheInstanceRules() throws Exception {
        String privateId = store.running(baseApp, "olga", Visibility.PRIVATE, a.address());
        assertThat(get("/instance/" + privateId + "/", "olga").statusCode()).isEqualTo(200);
        assertThat(get("/instance/" + privateId + "/", "boris").statusCode()).isEqualTo(404);
        // Admins see the instance exists but do not open another user's PRIVATE one.
        assertThat(get("/instance/" + privateId + "/", null).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = get("/instance/" + privateId + "/", "anonymous");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).contains("Sign in");

        String allUsers = store.running(baseApp, "olga", Visibility.ALL_USERS, a.address());
        assertThat(get("/instance/" + allUsers + "/", "boris").statusCode()).isEqualTo(200);
        assertThat(send(request("/instance/" + allUsers + "/", "vera").header("X-Dev-Role", "visitor")).statusCode())
                .isEqualTo(404);
        assertThat(get("/instance/" + allUsers + "/", "anonymous").statusCode()).isEqualTo(401);

        String publicId = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        assertThat(get("/instance/" + publicId + "/", "anonymous").statusCode()).isEqualTo(200);
    }

    @Test
    void authorisesWebSocketUpgrades() throws Exception {
        String privateId = store.running(baseApp, "olga", Visibility.PRIVATE, ws.address());
        assertThat(refusedUpgrade("/instance/" + privateId + "/echo", "anonymous")).isEqualTo(401);
        assertThat(refusedUpgrade("/instance/" + privateId + "/echo", "boris")).isEqualTo(404);
        // Another site's page, with olga's browser: refused (cross-site WebSocket hijacking).
        assertThat(statusOfUpgrade(http, "ws://localhost:" + store.port + "/instance/" + privateId + "/echo",
                "https://evil.example", "olga")).isEqualTo(403);
        Inbox inbox = new Inbox();
        WebSocket socket = webSocket("/instance/" + privateId + "/echo", "olga", inbox);
        socket.sendText("mine", true).get(5, TimeUnit.SECONDS);
        assertThat(inbox.next()).isEqualTo("mine");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void reportsItsTrafficToInstances() throws Exception {
        String httpId = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        String wsId = store.running(baseApp, "olga", Visibility.PUBLIC, ws.address());
        int http = store.metrics.httpAnswered.get();
        int handshakes = store.metrics.webSocketsAnswered.get();
        int open = store.metrics.openWebSockets.get();

        assertThat(get("/instance/" + httpId + "/echo", "olga").statusCode()).isEqualTo(200);
        assertThat(store.metrics.httpAnswered.get()).isEqualTo(http + 1);

        Inbox inbox = new Inbox();
        WebSocket socket = webSocket("/instance/" + wsId + "/echo", "olga", inbox);
        socket.sendText("counted", true).get(5, TimeUnit.SECONDS);
        assertThat(inbox.next()).isEqualTo("counted");
        assertThat(store.metrics.webSocketsAnswered.get()).isEqualTo(handshakes + 1);
        assertThat(store.metrics.openWebSockets.get()).isEqualTo(open + 1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (store.metrics.openWebSockets.get() != open && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.metrics.openWebSockets.get()).isEqualTo(open);
    }

    // ---- routing modes

    @Test
    void redirectsRequestsInTheWrongMode() throws Exception {
        String domainId = store.running(domainApp, "olga", Visibility.PUBLIC, a.address());
        HttpResponse<String> toDomain = get("/instance/" + domainId + "/some/page?q=1", null);
        assertThat(toDomain.statusCode()).isEqualTo(307);
        assertThat(toDomain.headers().firstValue("location"))
                .hasValue("http://" + domainId + ".localhost:" + store.port + "/some/page?q=1");

        RawHttp.Response served = RawHttp.send(store.port, "GET /echo?q=1 HTTP/1.1\nHost: " + domainId.toUpperCase()
                + ".Localhost:" + store.port);
        assertThat(served.status()).as(served.body()).isEqualTo(200);
        JsonNode echo = JSON.readTree(served.body());
        assertThat(echo.get("path").asText()).isEqualTo("/echo");
        assertThat(echo.get("headers").has("x-forwarded-prefix")).isFalse();
        // Everything on an app's host belongs to the app, the store's API paths too.
        RawHttp.Response api = RawHttp.send(store.port, "GET /api/v1/me HTTP/1.1\nHost: " + domainId + ".localhost:"
                + store.port);
        assertThat(api.body()).isEqualTo("hello from a at /api/v1/me");
        assertThat(get("/api/v1/me", null).body()).isEqualTo("the store's own API");

        String baseId = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        RawHttp.Response toBase = RawHttp.send(store.port, "GET /x/y?z=2 HTTP/1.1\nHost: " + baseId + ".localhost:"
                + store.port);
        assertThat(toBase.status()).isEqualTo(307);
        assertThat(toBase.header("location")).hasValue(store.apps() + "/instance/" + baseId + "/x/y?z=2");
    }

    @Test
    void addsTheBaseUrlsTrailingSlash() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        HttpResponse<String> response = get("/instance/" + id + "?a=b", null);
        assertThat(response.statusCode()).isEqualTo(308);
        assertThat(response.headers().firstValue("location")).hasValue("/instance/" + id + "/?a=b");
    }

    @Test
    void answersNotFoundForWhatDoesNotExist() throws Exception {
        assertThat(get("/instance/i-nothinghere1/", null).statusCode()).isEqualTo(404);
        assertThat(get("/instance/Not..An.Id/", null).statusCode()).isEqualTo(404);
        HttpResponse<String> page = get("/instance/%3Cscript%3E/", null);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    // ---- starting and suspended instances

    @Test
    void showsTheLaunchersProgressUntilReady() throws Exception {
        String id = store.start(baseApp, "olga", Visibility.ALL_USERS);
        store.tell(id, new InstanceActor.ReportProgress(new LaunchProgress("INSTALLING_DEPENDENCIES", "running",
                "pip install <script>alert(1)</script>", List.of(), 3, Instant.now())));
        store.awaitView(id, view -> view.progress().isPresent());
        HttpResponse<String> page = send(request("/instance/" + id + "/", "olga").header("Accept", "text/html"));
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("content-security-policy").orElse("")).contains("script-src 'nonce-");
        assertThat(page.body()).contains("Starting the app")
                .contains("<li data-step=\"INSTALLING_DEPENDENCIES\" class=\"current\">")
                .contains("Installing its dependencies: pip install &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert(1)</script>")
                .contains("data-api=\"/_wavestore/status/" + id + "\"");
        // The page polls its progress on its own origin (an app's origin never calls the store's API).
        HttpResponse<String> status = get("/_wavestore/status/" + id, "olga");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(status.body()).get("ready").asBoolean()).isFalse();
        assertThat(JSON.readTree(status.body()).get("progress").get("step").asText()).isEqualTo("INSTALLING_DEPENDENCIES");
        // Someone who may open it but not see its status gets a page that reloads itself instead of polling.
        assertThat(get("/instance/" + id + "/", "boris").body()).contains("data-api=\"\"");
        assertThat(get("/_wavestore/status/" + id, "boris").statusCode()).isEqualTo(404);
        assertThat(get("/_wavestore/status/i-nothinghere1", "olga").statusCode()).isEqualTo(404);

        // Waved answering is not enough while the launcher still reports a step: the app may not be registered yet.
        store.runtime.running(id, a.address());
        store.awaitView(id, view -> view.record().isPresent() && view.health().address().isPresent());
        assertThat(send(request("/instance/" + id + "/", "olga").header("Accept", "text/html")).statusCode()).isEqualTo(503);
        store.tell(id, new InstanceActor.ReportProgress(new LaunchProgress("READY", "done", "ready", List.of(), 6,
                Instant.now())));
        awaitStatus("/instance/" + id + "/echo", "olga", 200);
    }

    @Test
    void suspendedInstancesShowTheirPageToThoseWhoMayNotWakeThem() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.ALL_USERS, a.address());
        assertThat(get("/instance/" + id + "/", "olga").statusCode()).isEqualTo(200);
        assertThat(store.send(id, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        int resumes = store.runtime.resumes.get();
        awaitStatus("/instance/" + id + "/", "boris", 503);
        HttpResponse<String> other = get("/instance/" + id + "/", "boris");
        assertThat(other.body()).contains("Suspended").doesNotContain("id=\"resume\"");
        assertThat(refusedUpgrade("/instance/" + id + "/echo", "boris")).isEqualTo(503);
        assertThat(store.runtime.resumes.get()).as("another user's visit does not wake it").isEqualTo(resumes);

        // Its owner's request wakes it when it asks to (a page navigation would too; WakeOnVisitIT follows that
        // further); a plain API call does not.
        assertThat(get("/instance/" + id + "/echo", "olga").statusCode()).isEqualTo(503);
        assertThat(store.runtime.resumes.get()).as("an API call that does not ask").isEqualTo(resumes);
        assertThat(send(request("/instance/" + id + "/echo", "olga").header("Wavestore-Wake", "1")).statusCode())
                .isEqualTo(200);
        assertThat(store.runtime.resumes.get()).isEqualTo(resumes + 1);
    }

    // ---- resolution and its cache

    @Test
    void followsAnInstanceThatMoves() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, a.address());
        assertThat(backendOf("/instance/" + id + "/echo")).isEqualTo("a");
        store.runtime.running(id, b.address());
        store.awaitView(id, view -> view.health().address().orElse("").equals(b.address()));
        // The instance actor announced the change; this node's cache dropped the old route.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!backendOf("/instance/" + id + "/echo").equals("b")) {
            assertThat(System.nanoTime()).as("the route never followed the instance").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aStaleRouteHealsOnTheFirstFailedConnection() throws Exception {
        try (PlainBackend gone = new PlainBackend("gone")) {
            String id = store.running(baseApp, "olga", Visibility.PUBLIC, gone.address());
            RouteTarget stale = store.router.cache().resolve(id).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(stale.address()).hasValue(gone.address());
            gone.close();
            store.runtime.running(id, b.address());
            store.awaitView(id, view -> view.health().address().orElse("").equals(b.address()));
            // A replica whose invalidation was lost still holds the old address...
            store.router.cache().remember(stale);
            // ...and its first request finds the instance where it is now.
            assertThat(backendOf("/instance/" + id + "/echo")).isEqualTo("b");
        }
    }

    @Test
    void answersBadGatewayWhenTheAppDoesNotAnswer() throws Exception {
        String address;
        try (PlainBackend dead = new PlainBackend("dead")) {
            address = dead.address(); // nothing listens there once it is closed
        }
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, address);
        HttpResponse<String> response = get("/instance/" + id + "/echo", null);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("did not answer");
    }

    // ---- WebSockets

    @Test
    void proxiesWebSocketsBothWays() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, ws.address());
        Inbox inbox = new Inbox();
        WebSocket socket = http.newWebSocketBuilder()
                .header("Origin", store.apps())
                .header("Authorization", "Bearer store-token")
                .header("Cookie", "wavestore_session=s; app=1")
                .subprotocols("echo.v1")
                .buildAsync(URI.create("ws://localhost:" + store.port + "/instance/" + id + "/headers"), inbox)
                .get(10, TimeUnit.SECONDS);
        assertThat(socket.getSubprotocol()).isEqualTo("echo.v1");
        JsonNode headers = JSON.readTree(inbox.next());
        assertThat(headers.get(":path").get(0).asText()).isEqualTo("/instance/" + id + "/headers");
        assertThat(headers.has("authorization")).isFalse();
        assertThat(headers.get("cookie").get(0).asText()).isEqualTo("app=1");
        assertThat(headers.get("host").get(0).asText()).isEqualTo("localhost:" + store.port);
        assertThat(headers.get("origin").get(0).asText()).isEqualTo(store.apps());
        assertThat(headers.get("x-forwarded-for").get(0).asText()).isEqualTo("127.0.0.1");

        socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
        assertThat(inbox.next()).isEqualTo("hello");
        byte[] big = PlainBackend.pattern(3 * 1024 * 1024 + 5);
        socket.sendBinary(ByteBuffer.wrap(big), true).get(10, TimeUnit.SECONDS);
        assertThat(inbox.nextBinary()).isEqualTo(big);
        socket.sendText("in ", false);
        socket.sendText("parts", true).get(5, TimeUnit.SECONDS);
        assertThat(inbox.next()).isEqualTo("in parts");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        assertThat(inbox.closed.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void webSocketsFlowWithBackpressure() throws Exception {
        String id = store.running(baseApp, "olga", Visibility.PUBLIC, ws.address());
        long before = ws.flooded.get();
        Inbox inbox = new Inbox(false);
        WebSocket socket = webSocket("/instance/" + id + "/flood", null, inbox);
        socket.request(5);
        for (int i = 0; i < 5; i++) {
            inbox.nextBinary();
        }
        // The app could send gigabytes meanwhile; it sends what the buffers on the way hold, then waits: its count
        // stands still (for 1.5 s on end, however long the buffers take to fill on a busy machine).
        java.util.concurrent.atomic.AtomicLong seen = new java.util.concurrent.atomic.AtomicLong(-1);
        org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(100))
                .during(java.time.Duration.ofMillis(1500)).atMost(java.time.Duration.ofSeconds(30))
                .until(() -> seen.getAndSet(ws.flooded.get()) == seen.get());
        assertThat(ws.flooded.get() - before).isLessThan(1000);
        socket.request(200);
        for (int i = 0; i < 200; i++) {
            inbox.nextBinary();
        }
        assertThat(ws.flooded.get() - before).isGreaterThan(205);
        socket.abort();
    }

    @Test
    void proxiesWebSocketsOnAppDomains() throws Exception {
        String id = store.running(domainApp, "olga", Visibility.PUBLIC, ws.address());
        try (PekkoClient client = new PekkoClient(store.system())) {
            List<String> answers = client.echo("ws://localhost:" + store.port + "/echo", id + ".localhost:" + store.port,
                    List.of("one", "two"));
            assertThat(answers).containsExactly("one", "two");
        }
    }

    // ---- helpers

    private static String backendOf(String path) throws Exception {
        HttpResponse<String> response = get(path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("backend").asText();
    }

    static void awaitStatus(String path, String user, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int last;
        while ((last = get(path, user).statusCode()) != status) {
            assertThat(System.nanoTime()).as(path + " answered " + last + ", never " + status).isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    static HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(store.url(path))).timeout(Duration.ofSeconds(60));
        return user == null ? builder : builder.header("X-Dev-User", user);
    }

    static HttpResponse<String> get(String path, String user) throws IOException, InterruptedException {
        return send(request(path, user));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static WebSocket webSocket(String path, String user, Inbox inbox) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().header("Origin", store.apps());
        if (user != null) {
            builder.header("X-Dev-User", user);
        }
        try {
            return builder.buildAsync(URI.create("ws://localhost:" + store.port + path), inbox).get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        }
    }

    /** The status with which the router refused a WebSocket upgrade. */
    static int refusedUpgrade(String path, String user) {
        return statusOfUpgrade(http, "ws://localhost:" + store.port + path, store.apps(), user);
    }

    static int statusOfUpgrade(HttpClient client, String url, String origin, String user) {
        Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> {
            WebSocket.Builder builder = client.newWebSocketBuilder().header("Origin", origin);
            if (user != null) {
                builder.header("X-Dev-User", user);
            }
            builder.buildAsync(URI.create(url), new Inbox()).get(10, TimeUnit.SECONDS).abort();
        });
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException handshake) {
                return handshake.getResponse().statusCode();
            }
        }
        throw new AssertionError("the upgrade was not refused", error);
    }

    static String digest(InputStream in) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[256 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static String patternDigest(long size) throws Exception {
        return digest(new PatternStream(size, 0, null));
    }

    /** The backends' byte pattern as a stream; optionally pausing after {@code pauseAt} bytes until a latch opens. */
    static final class PatternStream extends InputStream {
        private final byte[] block = PlainBackend.pattern(64 * 1024);
        private final long size;
        private final long pauseAt;
        private final CountDownLatch until;
        private long position;

        PatternStream(long size, long pauseAt, CountDownLatch until) {
            this.size = size;
            this.pauseAt = pauseAt;
            this.until = until;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            if (until != null && position >= pauseAt) {
                try {
                    if (!until.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the app never got the first bytes: the body was held");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            int inBlock = (int) (position % block.length);
            long limit = until != null && position < pauseAt ? pauseAt : size;
            int n = (int) Math.min(Math.min(len, block.length - inBlock), limit - position);
            System.arraycopy(block, inBlock, b, off, n);
            position += n;
            return n;
        }
    }

    /** What a JDK WebSocket receives, message by message (parts joined). */
    static final class Inbox implements WebSocket.Listener {
        private final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final TextMessages text = new TextMessages();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
        private final boolean autoRequest;
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        Inbox() {
            this(true);
        }

        Inbox(boolean autoRequest) {
            this.autoRequest = autoRequest;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (autoRequest) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            String message = text.add(data, last);
            if (message != null) {
                messages.add(message);
            }
            if (autoRequest) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            } else if (!autoRequest) {
                webSocket.request(1);
            }
            if (autoRequest) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        String next() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a text message within 10 s").isInstanceOf(String.class);
            return (String) message;
        }

        byte[] nextBinary() throws InterruptedException {
            Object message = messages.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a binary message within 10 s").isInstanceOf(byte[].class);
            return (byte[]) message;
        }
    }
}
