package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveSocket;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 on the embedded default, nothing faked: examples/hello-wave with a 15-second idle timeout (the store's
 * maximum) stays up while a client uses it through the router's WebSocket, suspends itself for idleness once nobody
 * does (and says why, after a restart of the store too), and a visit wakes it: the browser's page is the waiting page
 * and then the app. Then it measures the wake time (a request held while the
 * instance resumes, to the first byte of the app's answer) a few times; loadtest/wake-time.md has the numbers.
 */
@ExtendWith(PostgresExtension.class)
class IdleSuspensionLocalIT {

    static final Duration READY_WITHIN = Duration.ofMinutes(4);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);
    static final int MEASURED_WAKES = 3;

    @TempDir
    Path dataDir;

    @AutoClose
    private LocalTestStore store;
    private StoreClient client;
    private URI apps;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        store = LocalTestStore.start(dataDir, database, Map.of(
                // hello-wave's app.toml says 2h: the store's maximum makes it 15 seconds (any positive duration is
                // taken; a minute or an hour behave alike, only the test would wait longer).
                "wavestore.scheduler.idle.maximum-timeout", IDLE_TIMEOUT.toSeconds() + "s",
                "wavestore.scheduler.idle.check-interval", "2s",
                "wavestore.router.idle.report-interval", "1s",
                "wavestore.router.idle.websocket-grace", "5s"));
        client = store.client();
        apps = store.apps();
    }

    @Test
    void anIdleInstanceSuspendsItselfNotWhileUsedAndAVisitWakesIt() throws Exception {
        String id = startExample();
        client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);

        // Used through its WebSocket, as the page does, for longer than its timeout: it stays up.
        WaveSocket socket = WaveSocket.open(http, "ws://" + apps.getAuthority() + "/instance/" + id + "/_s/",
                apps.toString(), "developer");
        socket.send("+ /instance/" + id + "/ ");
        long usedUntil = System.nanoTime() + IDLE_TIMEOUT.plusSeconds(20).toNanos();
        int[] round = {0};
        await().pollInterval(Duration.ofSeconds(4)).atMost(IDLE_TIMEOUT.plusMinutes(2)).until(() -> {
            String who = "Ada" + ++round[0];
            socket.send("@ /instance/" + id + "/ {\"greet\":true,\"who\":\"" + who + "\"}");
            socket.awaitContaining("Hello, " + who + "!", Duration.ofSeconds(30));
            return System.nanoTime() > usedUntil;
        });
        JsonNode used = StoreClient.json(client.get("/api/v1/instances/" + id));
        assertThat(used.get("suspended").asBoolean()).as("suspended while in use").isFalse();

        // Nobody uses it: it suspends itself, and says why.
        socket.close();
        JsonNode idle = client.awaitInstance(id, i -> i.get("suspended").asBoolean(), IDLE_TIMEOUT.plusMinutes(1));
        assertThat(idle.get("suspendedReason").asText()).isEqualTo("idle");

        // A restart of the store rebuilds it from the local runtime's record, which keeps why it was suspended.
        store.restart();
        JsonNode rebuilt = client.awaitInstance(id, i -> i.get("suspended").asBoolean(), Duration.ofSeconds(60));
        assertThat(rebuilt.path("suspendedReason").asText()).isEqualTo("idle");
        assertThat(StoreClient.json(client.get("/api/v1/instances")).findValuesAsText("suspendedReason"))
                .as("the listing says it too").containsExactly("idle");

        // Its owner's browser opens it: the waiting page, then the app.
        HttpResponse<String> waiting = http.send(page(id, "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(waiting.statusCode()).isIn(503, 307);
        client.awaitInstance(id, i -> i.get("ready").asBoolean(), READY_WITHIN);
        HttpResponse<String> app = http.send(page(id, "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.body()).contains("<title>");

        // The history says who did it and why: the store for idleness, the visitor's visit.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> history(id).stream().anyMatch(l -> l.startsWith("INSTANCE_RESUMED")));
        assertThat(history(id)).contains("INSTANCE_SUSPENDED STORE the store idle", "INSTANCE_RESUMED USER developer visit");

        List<String> measured = new ArrayList<>();
        for (int i = 0; i < MEASURED_WAKES; i++) {
            assertThat(client.send("POST", "/api/v1/instances/" + id + "/suspend", null).statusCode()).isEqualTo(200);
            client.awaitInstance(id, s -> s.get("phase").asText().equals("STOPPED"), Duration.ofSeconds(60));
            String load = Files.readString(Path.of("/proc/loadavg")).trim();
            long begin = System.nanoTime();
            // Not a browser's page but a request that asks to wake it: held while the instance resumes, answered by the app.
            HttpResponse<InputStream> held = http.send(page(id, "*/*").header("Wavestore-Wake", "1").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long firstByte = System.nanoTime();
            try (InputStream body = held.body()) {
                assertThat(held.statusCode()).isEqualTo(200);
                body.read();
            }
            measured.add(String.format("wake %d: %.2f s to the app's first byte (load average before: %s)", i + 1,
                    (firstByte - begin) / 1e9, load));
        }
        measured.forEach(System.out::println);
        Files.write(Path.of("target", "wake-time.txt"), measured);
    }

    /** The instance's history as "kind actorType actor reason" lines. */
    private List<String> history(String id) throws Exception {
        List<String> lines = new ArrayList<>();
        StoreClient.json(client.get("/api/v1/activity?instance=" + id)).get("items").forEach(e -> lines.add(
                e.get("kind").asText() + " " + e.get("actorType").asText() + " " + e.get("actor").asText() + " "
                        + e.path("details").path("reason").asText()));
        return lines;
    }

    private HttpRequest.Builder page(String id, String accept) {
        return HttpRequest.newBuilder(URI.create(apps + "/instance/" + id + "/")).header("Accept", accept)
                .header("X-Dev-User", "developer").timeout(Duration.ofMinutes(2));
    }

    private String startExample() throws Exception {
        Path wave = dataDir.resolve("hello-wave.wave");
        BundlePacker.pack(Path.of("../../examples", "hello-wave").toAbsolutePath().normalize(), wave);
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);
        HttpResponse<String> started = client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return StoreClient.json(started).get("id").asText();
    }
}
