package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Netty data plane does beyond what RouterIT asks of any router: it is the public port in front of the store's
 * own routes, it names the browser's own address, it answers pipelined requests in their order, it retries an
 * idempotent request once on a kept-alive connection the app had closed, it answers 504 for an app that says nothing,
 * and it closes connections whose headers never end.
 */
@ExtendWith(PostgresExtension.class)
class DataPlaneIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    static PlainBackend backend;
    static AppLookup.AppRuntime app;
    static HttpClient http;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of("wavestore.router.idle-timeout", "2s",
                "wavestore.http.header-read-timeout", "1s"));
        backend = new PlainBackend("a");
        app = store.apps.add("plain", "1.0.0", "alice", RoutingMode.BASE_URL);
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @AfterAll
    static void stop() throws Exception {
        backend.close();
        store.close();
    }

    @Test
    void theStoresOwnRoutesAnswerBehindIt() throws Exception {
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/apps")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).isEqualTo("the store's own API");
        // The store's /instance/... still sends browsers to the apps' origin.
        HttpResponse<String> moved = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/instance/i-x/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(moved.statusCode()).isEqualTo(307);
        assertThat(moved.headers().firstValue("location")).hasValue(store.apps() + "/instance/i-x/");
    }

    @Test
    void namesTheBrowsersOwnAddressAndNotWhatItClaims() throws Exception {
        String id = store.running(app, "olga", Visibility.PUBLIC, backend.address());
        // Any address of the loopback network reaches it; this one is not the one the store's routes listen on.
        String answer = exchange(InetAddress.getByName("127.0.0.2"), "GET /instance/" + id + "/echo HTTP/1.1\r\n"
                + "Host: localhost:" + store.port + "\r\nX-Wavestore-Front-Peer: forged 6.6.6.6 1\r\n"
                + "X-Forwarded-For: 6.6.6.6\r\nConnection: close\r\n\r\n");
        JsonNode echo = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(echo.get("headers").get("x-forwarded-for").get(0).asText()).isEqualTo("127.0.0.2");
    }

    @Test
    void answersPipelinedRequestsInTheirOrder() throws Exception {
        String id = store.running(app, "olga", Visibility.PUBLIC, backend.address());
        String host = "Host: localhost:" + store.port + "\r\n";
        // Three requests in one write, a body in the middle one: each is answered in turn, none read into another.
        String answers = exchange(InetAddress.getLoopbackAddress(), "GET /instance/" + id + "/first HTTP/1.1\r\n" + host
                + "\r\nPOST /instance/" + id + "/echo HTTP/1.1\r\n" + host + "Content-Length: 5\r\n\r\nhello"
                + "GET /instance/" + id + "/third HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
        int first = answers.indexOf("hello from a at /instance/" + id + "/first");
        int second = answers.indexOf("\"body\":\"hello\"");
        int third = answers.indexOf("hello from a at /instance/" + id + "/third");
        assertThat(answers.split("HTTP/1.1 200 OK", -1)).hasSize(4);
        assertThat(first).isNotNegative().isLessThan(second);
        assertThat(third).isGreaterThan(second);
    }

    @Test
    void retriesAnIdempotentRequestOnceWhenAKeptAliveConnectionWasClosed() throws Exception {
        try (OneAnswerPerConnection app1 = new OneAnswerPerConnection()) {
            String id = store.running(app, "olga", Visibility.PUBLIC, "127.0.0.1:" + app1.port());
            // One client connection, so one event loop and one pool: the second request finds the first's upstream
            // connection at rest, which the app closes as soon as it is asked again.
            HttpClient one = HttpClient.newBuilder().build();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = one.send(HttpRequest.newBuilder(
                        URI.create(store.apps() + "/instance/" + id + "/x")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("ok");
            }
            assertThat(app1.closedUnanswered.get()).as("requests the app refused on a reused connection").isPositive();
        }
    }

    @Test
    void answersGatewayTimeoutWhenTheAppSaysNothing() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String id = store.running(app, "olga", Visibility.PUBLIC, "127.0.0.1:" + silent.getLocalPort());
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(store.apps() + "/instance/" + id + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).contains("did not answer");
        }
    }

    @Test
    void closesAConnectionWhoseHeadersDoNotEnd() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), store.port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /api/v1/apps HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            // The header read timeout is a second: the store closes it, long before the socket's own timeout.
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static String exchange(InetAddress from, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), store.port));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * An app that keeps connections alive in words only: it answers the first request on each connection and closes the
     * connection when a second one comes, as a server does whose keep-alive timeout has just passed.
     */
    static final class OneAnswerPerConnection implements AutoCloseable {
        final AtomicInteger closedUnanswered = new AtomicInteger();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Thread acceptor;

        OneAnswerPerConnection() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket connection = server.accept();
                        Thread serving = new Thread(() -> serve(connection));
                        serving.setDaemon(true);
                        serving.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket connection) {
            try (connection) {
                InputStream in = connection.getInputStream();
                readHead(in);
                connection.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
                        .getBytes(StandardCharsets.ISO_8859_1));
                connection.getOutputStream().flush();
                if (readHead(in)) {
                    closedUnanswered.incrementAndGet();
                }
            } catch (IOException e) {
                // the router closed it: fine
            }
        }

        /** @return whether a whole request head came */
        private static boolean readHead(InputStream in) throws IOException {
            int matched = 0;
            int b;
            while ((b = in.read()) >= 0) {
                matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                        ? matched + 1 : 0;
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
