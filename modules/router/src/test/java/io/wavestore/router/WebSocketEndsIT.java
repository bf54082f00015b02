package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.router.fixture.WebSocketBackend;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A crowd of browsers that close their Wave pages at once: their WebSockets end without a close frame, and the
 * router must relay that as an ordinary end, not log an ERROR with a stack trace for each.
 */
@ExtendWith(PostgresExtension.class)
class WebSocketEndsIT {

    static final int SOCKETS = 200;

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    static WebSocketBackend ws;
    static AppLookup.AppRuntime app;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of());
        ws = new WebSocketBackend(store.system());
        app = store.apps.add("ws-app", "1.0.0", "alice", RoutingMode.BASE_URL);
    }

    @AfterAll
    static void stop() throws Exception {
        ws.close();
        store.close();
    }

    /** A WebSocket opened on a plain socket, to end it as no WebSocket client would: with a TCP reset. */
    private static java.net.Socket upgraded(String path) throws Exception {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", store.port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + store.port + "\r\n"
                + "Origin: " + store.apps() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = socket.getInputStream().read();
            assertThat(b).as("the upgrade's answer").isNotNegative();
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    @Test
    void browsersThatGoAwayWithoutACloseFrameLeaveNoErrorsInTheLog() throws Exception {
        String id = store.running(app, "olga", Visibility.PUBLIC, ws.address());
        int open = store.metrics.openWebSockets.get();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        HttpClient http = HttpClient.newHttpClient();
        try {
            List<WebSocket> sockets = new ArrayList<>();
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                CompletableFuture<String> echo = new CompletableFuture<>();
                WebSocket socket = http.newWebSocketBuilder().header("Origin", store.apps())
                        .buildAsync(URI.create("ws://localhost:" + store.port + "/instance/" + id + "/echo"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                echo.complete(data.toString());
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                socket.sendText("page " + i, true);
                sockets.add(socket);
                echoes.add(echo);
            }
            for (int i = 0; i < SOCKETS; i++) {
                assertThat(echoes.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("page " + i);
            }
            // Half the pages reset their connection (a killed browser, a dropped network), half close it (a tab).
            List<java.net.Socket> reset = new ArrayList<>();
            for (int i = 0; i < SOCKETS; i++) {
                reset.add(upgraded("/instance/" + id + "/echo"));
            }
            assertThat(store.metrics.openWebSockets.get()).isEqualTo(open + 2 * SOCKETS);
            for (java.net.Socket socket : reset) {
                socket.setSoLinger(true, 0);
                socket.close();
            }
            sockets.forEach(WebSocket::abort); // the TCP connection closes, no close frame
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (store.metrics.openWebSockets.get() != open && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(store.metrics.openWebSockets.get()).as("every relay ended").isEqualTo(open);
            // pekko's log events go through one logger actor in order: once this one is in, so is any error before it.
            String marker = "websocket-ends-marker-" + System.nanoTime();
            store.system().classicSystem().log().warning(marker);
            while (logged.list.stream().noneMatch(e -> e.getFormattedMessage().equals(marker)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            root.detachAppender(logged);
        }
        List<String> errors = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertThat(errors).isEmpty();
    }
}
