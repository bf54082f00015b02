package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's requests read whole (GETs, HEADs, DELETEs, conditional GETs, small bodies) are handed to its routes
 * in-process ({@link StoreRoutes}) and answered as pekko-http's server answers them on the loopback port: the same
 * status, headers and body (strict, streamed with a length, chunked), the browser's address as the routes see it, the
 * routes' own request-timeout answer, pipelined requests in order; larger bodies, slow ones and closing connections
 * are still relayed.
 */
@ExtendWith(PostgresExtension.class)
class StoreRoutesInProcessIT {

    private static final String CHUNK = "0123456789abcdef".repeat(1024);
    private static final int CHUNKS = 200;

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    /** Requests the routes were handed in-process. */
    static final AtomicInteger inProcess = new AtomicInteger();
    /** The endless download's stream ended (its reader's connection was closed). */
    static final java.util.concurrent.atomic.AtomicBoolean endlessEnded = new java.util.concurrent.atomic.AtomicBoolean();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static final RouterFixture.Store API = new RouterFixture.Store() {
        @Override
        public Route routes(ActorSystem<?> system, Router router, RouterSettings settings, Jdbi jdbi) {
            return new AllDirectives() {
                Route route() {
                    return concat(pathPrefix("api", () -> withRequestTimeoutResponse(request -> org.apache.pekko.http.javadsl
                                    .model.HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                                    .withEntity("the routes' own timeout answer"), () -> concat(
                            path("json", () -> respondWithHeaders(List.of(RawHeader.create("Cache-Control", "no-store"),
                                    RawHeader.create("X-Store", "yes")), () -> complete(StatusCodes.OK,
                                    HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"me\":\"x\"}")))),
                            path("peer", () -> extractRequest(request -> complete(request.getAttribute(
                                    AttributeKeys.remoteAddress).flatMap(a -> a.getAddress().map(ip -> ip.getHostAddress()
                                    + " " + a.getPort())).orElse("none")))),
                            path("chunked", () -> complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                                    .withEntity(HttpEntities.createChunked(ContentTypes.TEXT_CSV_UTF8,
                                            Source.range(1, CHUNKS).map(i -> ByteString.fromString(CHUNK)))))),
                            path("sized", () -> complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM,
                                            (long) CHUNKS * CHUNK.length(),
                                            Source.range(1, CHUNKS).map(i -> ByteString.fromString(CHUNK)))))),
                            path("never", () -> completeWithFuture(new CompletableFuture<>())),
                            path("endless", () -> complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                                    .withEntity(HttpEntities.createChunked(ContentTypes.APPLICATION_OCTET_STREAM,
                                            Source.repeat(ByteString.fromString(CHUNK)).watchTermination((mat, ended) -> {
                                                ended.whenComplete((done, error) -> endlessEnded.set(true));
                                                return mat;
                                            }))))),
                            path("echo", () -> concat(post(() -> entity(org.apache.pekko.http.javadsl.unmarshalling
                                    .Unmarshaller.entityToString(), body -> complete("posted " + body))),
                                    put(() -> extractRequestEntity(entity -> entity(org.apache.pekko.http.javadsl
                                            .unmarshalling.Unmarshaller.entityToString(), body -> complete(
                                                    StatusCodes.CREATED, "put " + entity.getContentType() + " "
                                                            + body.length())))))),
                            path("json-only", () -> patch(() -> entity(org.apache.pekko.http.javadsl.marshallers.jackson
                                    .Jackson.unmarshaller(Map.class), body -> complete("patched " + body)))),
                            path("small", () -> withSizeLimit(4, () -> post(() -> entity(org.apache.pekko.http.javadsl
                                    .unmarshalling.Unmarshaller.entityToString(), body -> complete("took " + body))))),
                            path("item", () -> concat(delete(() -> complete(StatusCodes.NO_CONTENT)),
                                    get(() -> conditional(org.apache.pekko.http.javadsl.model.headers.EntityTag.create(
                                            "v1", false), () -> complete("the item")))))))),
                            RouterFixture.STAND_IN.routes(system, router, settings, jdbi));
                }
            }.route();
        }

        @Override
        public StoreRoutes inProcess(ActorSystem<?> system, Route routes) {
            org.apache.pekko.japi.function.Function<org.apache.pekko.http.javadsl.model.HttpRequest,
                    java.util.concurrent.CompletionStage<org.apache.pekko.http.javadsl.model.HttpResponse>> handler =
                    routes.handler(system);
            org.apache.pekko.http.javadsl.settings.ServerSettings pekko =
                    org.apache.pekko.http.javadsl.settings.ServerSettings.create(system.classicSystem());
            return new StoreRoutes(request -> {
                inProcess.incrementAndGet();
                return handler.apply(request);
            }, Materializer.matFromSystem(system), Duration.ofSeconds(1), pekko.getServerHeader().map(h -> h.value()),
                    new StoreRoutes.ParserLimits(2048, 64, 64, 8192, 8 << 20));
        }
    };

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of("wavestore.router.idle-timeout", "3s"),
                new io.wavestore.router.fixture.TokenIdentity(), API);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    @Test
    void answersAreThoseOfPekkosServerWhateverTheirBody() throws Exception {
        for (String path : List.of("/api/json", "/api/chunked", "/api/sized", "/api/nowhere")) {
            HttpResponse<String> direct = get(store.storeRoutesBehind() + path);
            int before = inProcess.get();
            HttpResponse<String> front = get(store.base() + path);
            assertThat(inProcess.get()).as(path + " in-process").isEqualTo(before + 1);
            assertThat(front.statusCode()).as(path).isEqualTo(direct.statusCode());
            assertThat(StoreFilesIT.withoutDate(front.headers())).as(path).isEqualTo(StoreFilesIT.withoutDate(direct.headers()));
            assertThat(front.body()).as(path).isEqualTo(direct.body());
        }
        assertThat(get(store.base() + "/api/chunked").body()).hasSize(CHUNKS * CHUNK.length());
    }

    /** Requests with bodies, DELETE, HEAD and conditions, through the public port and on pekko's own: the same answers. */
    @Test
    void bodiesDeletesHeadsAndConditionsAreAnsweredAsPekkosServerAnswersThem() throws Exception {
        String big = "x".repeat(InProcessRequests.MAX_BODY + 1);
        List<HttpRequest.Builder> requests = List.of(
                request("/api/echo").POST(HttpRequest.BodyPublishers.ofString("hello")).header("Content-Type", "text/plain"),
                request("/api/echo").PUT(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                        .header("Content-Type", "application/json"),
                request("/api/echo").PUT(HttpRequest.BodyPublishers.ofString("")),
                request("/api/json-only").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                        .header("Content-Type", "application/json"),
                request("/api/json-only").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                        .header("Content-Type", "text/plain"),
                request("/api/json-only").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"a\":"))
                        .header("Content-Type", "application/json"),
                request("/api/small").POST(HttpRequest.BodyPublishers.ofString("too long for the route")),
                request("/api/echo").DELETE(),
                request("/api/item").DELETE(),
                request("/api/item").method("HEAD", HttpRequest.BodyPublishers.noBody()),
                request("/api/json").method("HEAD", HttpRequest.BodyPublishers.noBody()),
                request("/api/sized").method("HEAD", HttpRequest.BodyPublishers.noBody()),
                request("/api/chunked").method("HEAD", HttpRequest.BodyPublishers.noBody()),
                request("/api/item").header("If-None-Match", "\"v1\""),
                request("/api/item").header("If-None-Match", "\"v0\""),
                request("/api/item").header("If-Match", "\"v0\""),
                request("/api/nowhere").POST(HttpRequest.BodyPublishers.ofString("{}")));
        for (HttpRequest.Builder builder : requests) {
            HttpRequest viaFront = builder.copy().uri(URI.create(store.base() + builder.build().uri().getPath())).build();
            HttpResponse<String> direct = http.send(builder.copy().uri(URI.create(store.storeRoutesBehind()
                    + builder.build().uri().getPath())).build(), HttpResponse.BodyHandlers.ofString());
            int before = inProcess.get();
            HttpResponse<String> front = http.send(viaFront, HttpResponse.BodyHandlers.ofString());
            String what = viaFront.method() + " " + viaFront.uri().getPath() + " " + viaFront.headers().map();
            assertThat(inProcess.get()).as(what + " in-process").isEqualTo(before + 1);
            assertThat(front.statusCode()).as(what).isEqualTo(direct.statusCode());
            assertThat(withoutClose(front.headers())).as(what).isEqualTo(withoutClose(direct.headers()));
            assertThat(front.body()).as(what).isEqualTo(direct.body());
        }
        // pekko's server closes a connection whose request body was left unread only when that body came after its
        // head (it cannot tell where the next request starts): with the body in the same read, as the data plane
        // hands it over, it keeps the connection, as in-process does.
        String unread = "PATCH /api/json-only HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 7"
                + "\r\n\r\n{\"a\":1}";
        for (String base : List.of(store.storeRoutesBehind(), store.base())) {
            try (Socket socket = socketTo(URI.create(base).getPort())) {
                socket.getOutputStream().write(unread.getBytes(StandardCharsets.ISO_8859_1));
                String text = readAnswer(socket);
                assertThat(text).as(base).startsWith("HTTP/1.1 ").doesNotContainIgnoringCase("connection: close");
                assertThat(text.substring(0, 12)).as(base + " as through HttpClient").isEqualTo(
                        "HTTP/1.1 " + http.send(request(base + "/api/json-only").method("PATCH",
                                HttpRequest.BodyPublishers.ofString("{\"a\":1}")).header("Content-Type", "text/plain")
                                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
        }
        int before = inProcess.get();
        HttpResponse<String> relayed = http.send(request(store.base() + "/api/echo")
                .POST(HttpRequest.BodyPublishers.ofString(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(relayed.body()).as("a body over the bound: relayed").isEqualTo("posted " + big);
        assertThat(inProcess.get()).isEqualTo(before);
    }

    @Test
    void aBodyThatFollowsItsHeadInAnotherWriteIsWaitedFor() throws Exception {
        int before = inProcess.get();
        try (Socket socket = socketTo(store.port)) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 10\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.getOutputStream().write("world".getBytes(StandardCharsets.ISO_8859_1));
            String text = readUntil(socket, "posted helloworld");
            assertThat(text).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(inProcess.get()).isEqualTo(before + 1);
    }

    @Test
    void aBodyThatDoesNotComeIsLeftToPekkosServer() throws Exception {
        int before = inProcess.get();
        try (Socket socket = socketTo(store.port)) {
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 10\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
            // The rest comes once the request was relayed (pekko's server holds one more connection, the data plane's)
            long connections = loopbackConnectionsTo(store.storeRoutesBehind());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> loopbackConnectionsTo(store.storeRoutesBehind()) > connections);
            socket.getOutputStream().write("world".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readUntil(socket, "posted helloworld")).startsWith("HTTP/1.1 200 OK");
        }
        assertThat(inProcess.get()).as("relayed").isEqualTo(before);
    }

    @Test
    void theRoutesSeeTheBrowsersAddress() throws Exception {
        try (Socket socket = socketTo(store.port)) {
            socket.getOutputStream().write(("GET /api/peer HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] answer = new byte[4096];
            String text = "";
            while (!text.endsWith(" " + socket.getLocalPort())) {
                int n = socket.getInputStream().read(answer);
                assertThat(n).as("answered before the connection ended: " + text).isPositive();
                text += new String(answer, 0, n, StandardCharsets.ISO_8859_1);
            }
            assertThat(text).startsWith("HTTP/1.1 200 OK").endsWith("127.0.0.1 " + socket.getLocalPort());
        }
    }

    @Test
    void aRequestTheRoutesDoNotAnswerInTimeGetsTheirTimeoutAnswer() throws Exception {
        HttpResponse<String> answer = get(store.base() + "/api/never");
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("the routes' own timeout answer");
        assertThat(get(store.base() + "/api/json").statusCode()).as("the store answers on").isEqualTo(200);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndWhatIsNotAPlainGetIsRelayed() throws Exception {
        int before = inProcess.get();
        try (Socket socket = socketTo(store.port)) {
            socket.getOutputStream().write(("GET /api/json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /api/sized HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                    + "Connection: close\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int json = text.indexOf("{\"me\":\"x\"}");
            int sized = text.indexOf(CHUNK);
            int posted = text.indexOf("posted hello");
            assertThat(json).isPositive();
            assertThat(sized).isGreaterThan(json);
            assertThat(posted).isGreaterThan(sized);
        }
        assertThat(inProcess.get()).as("the two GETs; the POST asking for the connection's close was relayed")
                .isEqualTo(before + 2);
        try (Socket socket = socketTo(store.port)) {
            socket.getOutputStream().write(("POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\none"
                    + "DELETE /api/item HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET /api/sized HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "POST /api/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\ntwo")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String text = readUntil(socket, "posted two");
            int one = text.indexOf("posted one");
            int deleted = text.indexOf("HTTP/1.1 204 No Content");
            int sized = text.indexOf(CHUNK);
            assertThat(one).isPositive();
            assertThat(deleted).isGreaterThan(one);
            assertThat(sized).isGreaterThan(deleted);
            assertThat(text.indexOf("posted two")).isGreaterThan(sized);
        }
        assertThat(inProcess.get()).as("bodies pipelined: every one in-process, in order").isEqualTo(before + 6);
        RawHttp.Response closing = RawHttp.send(store.port, "GET /api/json HTTP/1.1\nHost: 127.0.0.1");
        assertThat(closing.status()).as("Connection: close is the relay's").isEqualTo(200);
        assertThat(inProcess.get()).isEqualTo(before + 6);
    }

    @Test
    void aLargeBodyTheRoutesAnswerWithoutReadingItStillGetsThatAnswer() throws Exception {
        // Over the in-process bound, so relayed: the routes answer before they read it (as a 401, a 403 or an early 413
        // does) and pekko closes the connection with the rest of the body unread. The answer must reach the browser,
        // not a reset that takes it with it, every time.
        byte[] body = new byte[4 << 20];
        for (int attempt = 0; attempt < 20; attempt++) {
            try (Socket socket = socketTo(store.port)) {
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        socket.getOutputStream().write(("POST /api/json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: application/octet-stream\r\nContent-Length: " + body.length + "\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().write(body);
                    } catch (java.io.IOException e) {
                        // the rest of the body refused once the answer was given: as a browser sees it too
                    }
                });
                String text = readUntil(socket, "{\"me\":\"x\"}");
                assertThat(text).as("attempt " + attempt).startsWith("HTTP/1.1 200 OK");
                sending.cancel(true);
            }
        }
    }

    @Test
    void aDownloadNobodyReadsEndsAfterTheIdleTimeout() throws Exception {
        endlessEnded.set(false); // (a rerun starts afresh)
        try (Socket socket = new Socket("127.0.0.1", store.port)) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.getOutputStream().write("GET /api/endless HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            // Nothing is read: the routes' stream waits on the socket, then the connection is closed and it ends.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(endlessEnded);
        }
    }

    /** The headers but Date, and Connection when it says close (see above). */
    private static Map<String, List<String>> withoutClose(java.net.http.HttpHeaders headers) {
        Map<String, List<String>> kept = new java.util.TreeMap<>(StoreFilesIT.withoutDate(headers));
        kept.remove("connection", List.of("close"));
        return kept;
    }

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url.startsWith("/") ? "http://127.0.0.1" + url : url))
                .timeout(Duration.ofSeconds(30));
    }

    /** What the socket answers until {@code last} ends it. */
    private static String readUntil(Socket socket, String last) throws java.io.IOException {
        byte[] answer = new byte[64 * 1024];
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(last)) {
            int n = socket.getInputStream().read(answer);
            assertThat(n).as("answered before the connection ended: " + text).isPositive();
            text.append(new String(answer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return text.toString();
    }

    private static Socket socketTo(int port) throws java.io.IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** One answer with a Content-Length, head and body. */
    private static String readAnswer(Socket socket) throws java.io.IOException {
        byte[] answer = new byte[64 * 1024];
        StringBuilder text = new StringBuilder();
        while (true) {
            int end = text.indexOf("\r\n\r\n");
            if (end > 0) {
                java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: (\\d+)")
                        .matcher(text.substring(0, end));
                assertThat(length.find()).as(text.toString()).isTrue();
                if (text.length() >= end + 4 + Integer.parseInt(length.group(1))) {
                    return text.toString();
                }
            }
            int n = socket.getInputStream().read(answer);
            assertThat(n).as("answered before the connection ended: " + text).isPositive();
            text.append(new String(answer, 0, n, StandardCharsets.ISO_8859_1));
        }
    }

    /** Established TCP connections to the port of {@code url} on this machine (from /proc/net/tcp and tcp6). */
    private static long loopbackConnectionsTo(String url) throws java.io.IOException {
        String port = String.format("%04X", URI.create(url).getPort());
        long count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try (var lines = java.nio.file.Files.lines(Path.of(table))) {
                count += lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                        .filter(f -> f[1].endsWith(":" + port) && f[3].equals("01")).count();
            }
        }
        return count;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
