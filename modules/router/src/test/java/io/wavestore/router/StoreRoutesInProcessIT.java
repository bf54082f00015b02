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
 * The store's plain GETs are handed to its routes in-process ({@link StoreRoutes}) and answered as pekko-http's server
 * answers them on the loopback port: the same status, headers and body (strict, streamed with a length, chunked), the
 * browser's address as the routes see it, the routes' own request-timeout answer, pipelined requests in order; what
 * is not a plain GET is still relayed.
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
                            path("echo", () -> post(() -> entity(org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller
                                    .entityToString(), body -> complete("posted " + body))))))),
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
                    new StoreRoutes.ParserLimits(2048, 64, 64, 8192));
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

    @Test
    void theRoutesSeeTheBrowsersAddress() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", store.port)) {
            socket.setSoTimeout(30_000);
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
        try (Socket socket = new Socket("127.0.0.1", store.port)) {
            socket.setSoTimeout(30_000);
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
        assertThat(inProcess.get()).as("the two GETs; the POST was relayed").isEqualTo(before + 2);
        RawHttp.Response closing = RawHttp.send(store.port, "GET /api/json HTTP/1.1\nHost: 127.0.0.1");
        assertThat(closing.status()).as("Connection: close is the relay's").isEqualTo(200);
        assertThat(inProcess.get()).isEqualTo(before + 2);
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

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
