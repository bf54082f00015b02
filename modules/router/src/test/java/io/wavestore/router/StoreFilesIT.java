package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's files that cannot change while it runs ({@link StoreFiles}) are answered by the data plane itself, with
 * every header the store's routes set; anything else about them (conditions, other methods, queries, answers with a
 * cookie or an error) still reaches the store's routes.
 */
@ExtendWith(PostgresExtension.class)
class StoreFilesIT {

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    /** How often the store's routes answered under /files/, and how often the data plane answered itself. */
    static final AtomicInteger routesAsked = new AtomicInteger();
    static final AtomicInteger frontAnswered = new AtomicInteger();
    /** As browsers ask for files over http: HTTP/1.1, no h2c upgrade (which the store's routes handle). */
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Files under /files/ as the web UI's: an ETag, a cache policy, a few headers of the store's own. */
    static final RouterFixture.Store FILES = new RouterFixture.Store() {
        @Override
        public Route routes(ActorSystem<?> system, Router router, RouterSettings settings, Jdbi jdbi) {
            return new AllDirectives() {
                Route route() {
                    return concat(pathPrefix("files", () -> extractUnmatchedPath(rest -> {
                        routesAsked.incrementAndGet();
                        String file = rest.substring(1);
                        if (file.equals("missing.js")) {
                            return complete(StatusCodes.NOT_FOUND, "no such file");
                        }
                        List<org.apache.pekko.http.javadsl.model.HttpHeader> headers = new java.util.ArrayList<>(List.of(
                                RawHeader.create("Cache-Control", "public, max-age=31536000, immutable"),
                                RawHeader.create("ETag", "\"" + file + "-1\""),
                                RawHeader.create("X-Content-Type-Options", "nosniff")));
                        if (file.equals("with-cookie.js")) {
                            headers.add(RawHeader.create("Set-Cookie", "seen=1; Path=/"));
                        }
                        return optionalHeaderValueByName("If-None-Match", condition -> condition.isPresent()
                                ? complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                                        .withStatus(StatusCodes.NOT_MODIFIED).addHeaders(headers))
                                : complete(org.apache.pekko.http.javadsl.model.HttpResponse.create().addHeaders(headers)
                                        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                                                "{\"file\":\"" + file + "\"}"))));
                    })), RouterFixture.STAND_IN.routes(system, router, settings, jdbi));
                }
            }.route();
        }

        @Override
        public StoreFiles files() {
            return new StoreFiles(path -> path.startsWith("/files/") && !path.contains("?"), took -> frontAnswered.incrementAndGet());
        }
    };

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of(), new io.wavestore.router.fixture.TokenIdentity(), FILES);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    @Test
    void aFileIsAnsweredByTheDataPlaneWithTheHeadersOfTheStoresRoutes() throws Exception {
        HttpResponse<String> fromRoutes = get("/files/app.js");
        assertThat(fromRoutes.statusCode()).isEqualTo(200);
        // The first request went to the routes; the data plane asked them once more for itself, and answers from then on.
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/files/app.js") != null && frontAnswered.get() > 0);
        int asked = routesAsked.get();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = get("/files/app.js");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(fromRoutes.body());
            assertThat(withoutDate(answer.headers())).isEqualTo(withoutDate(fromRoutes.headers()));
            String date = answer.headers().firstValue("date").orElseThrow();
            assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME))
                    .isBetween(ZonedDateTime.now().minusMinutes(1), ZonedDateTime.now().plusMinutes(1));
        }
        assertThat(routesAsked.get()).as("the routes were not asked again").isEqualTo(asked);
    }

    @Test
    void conditionsOtherMethodsQueriesAndOtherHostsStillReachTheStoresRoutes() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/files/lib.js") != null && answeredByFront("/files/lib.js"));
        int asked = routesAsked.get();
        HttpResponse<String> conditional = http.send(request("/files/lib.js").header("If-None-Match", "\"lib.js-1\"")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(conditional.statusCode()).isEqualTo(304);
        assertThat(get("/files/lib.js?v=2").statusCode()).isEqualTo(200);
        assertThat(http.send(request("/files/lib.js").method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(routesAsked.get()).isEqualTo(asked + 3);
        // On an app's host the path is the app's: the data plane never answers the store's file there.
        RawHttp.Response onAppHost = RawHttp.send(store.port, "GET /files/lib.js HTTP/1.1\nHost: "
                + store.appHost("nobody"));
        assertThat(onAppHost.status()).isNotEqualTo(200);
    }

    @Test
    void answersWithACookieOrAnErrorAreNeverReplayed() throws Exception {
        for (String file : List.of("/files/with-cookie.js", "/files/missing.js")) {
            get(file);
            int asked = routesAsked.get();
            for (int i = 0; i < 5; i++) {
                get(file);
            }
            // (+1 when the data plane's own request for it, made after the first, is answered in between)
            assertThat(routesAsked.get()).as(file).isBetween(asked + 5, asked + 6);
        }
        assertThat(get("/files/with-cookie.js").headers().firstValue("set-cookie")).hasValue("seen=1; Path=/");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAcrossTheHandOff() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/files/one.js") != null && answeredByFront("/files/one.js"));
        String host = "Host: 127.0.0.1:" + store.port + "\r\n";
        // Two files the data plane answers, then the store's API (the connection is handed on), then a file again.
        String answers = exchange("GET /files/one.js HTTP/1.1\r\n" + host + "\r\nGET /files/one.js HTTP/1.1\r\n" + host
                + "\r\nGET /api/x HTTP/1.1\r\n" + host + "\r\nGET /files/two.js HTTP/1.1\r\n" + host
                + "Connection: close\r\n\r\n");
        int first = answers.indexOf("{\"file\":\"one.js\"}");
        int second = answers.indexOf("{\"file\":\"one.js\"}", first + 1);
        int api = answers.indexOf("the store's own API");
        int last = answers.indexOf("{\"file\":\"two.js\"}");
        assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(5);
        assertThat(first).isNotNegative().isLessThan(second);
        assertThat(api).isGreaterThan(second).isLessThan(last);
    }

    /** Whether a request for {@code path} now is answered without the store's routes. */
    private static boolean answeredByFront(String path) throws Exception {
        int before = frontAnswered.get();
        get(path);
        return frontAnswered.get() > before;
    }

    /** An answer's headers but its Date, which changes every second. */
    static Map<String, List<String>> withoutDate(HttpHeaders headers) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers.map());
        all.remove("date");
        return all;
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + store.port + path)).timeout(Duration.ofSeconds(30));
    }

    /**
     * One request on a connection of its own: a connection that the data plane handed to the store's routes (its
     * first request was not a file it answers) stays theirs, so a kept-alive client would not see the change.
     */
    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String exchange(String requests) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), store.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
