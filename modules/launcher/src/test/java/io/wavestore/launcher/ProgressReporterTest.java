package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theReportIsTheDocumentedJson() throws Exception {
        ProgressReport report = new ProgressReport("i-1", Step.INSTALLING_DEPENDENCIES, ProgressReport.State.FAILED,
                "pip install -r requirements.txt failed with exit code 1",
                List.of("ERROR: No matching distribution found for \"nope\"", "tab\there"), 7,
                Instant.parse("2026-01-02T03:04:05Z"));
        JsonNode json = JSON.readTree(report.toJson());
        assertThat(json.get("instanceId").asText()).isEqualTo("i-1");
        assertThat(json.get("step").asText()).isEqualTo("INSTALLING_DEPENDENCIES");
        assertThat(json.get("state").asText()).isEqualTo("failed");
        assertThat(json.get("message").asText()).startsWith("pip install");
        assertThat(json.get("outputTail")).hasSize(2);
        assertThat(json.get("outputTail").get(0).asText()).isEqualTo("ERROR: No matching distribution found for \"nope\"");
        assertThat(json.get("outputTail").get(1).asText()).isEqualTo("tab\there");
        assertThat(json.get("sequence").asLong()).isEqualTo(7);
        assertThat(json.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(json.get("routes")).isEmpty();
        assertThat(json.size()).isEqualTo(8);
    }

    @Test
    void aReportNamesTheAppsRoutes() {
        ProgressReport report = new ProgressReport("i-1", Step.READY, ProgressReport.State.DONE, "ready", List.of(),
                4, Instant.parse("2026-01-02T03:04:05Z"), List.of("/demo", "/"));
        assertThat(ProgressReport.fromJson(report.toJson()).routes()).containsExactly("/demo", "/");
    }

    @Test
    void theStoreCanReadItBack() {
        ProgressReport report = new ProgressReport("i-1", Step.READY, ProgressReport.State.DONE, "ready", List.of(),
                3, Instant.parse("2026-01-02T03:04:05.123Z"));
        assertThat(ProgressReport.fromJson(report.toJson())).isEqualTo(report);
        assertThat(ProgressReport.fromJson("{\"instanceId\":\"i\",\"step\":\"SOURCING_APP\",\"state\":\"running\","
                + "\"time\":\"2026-01-01T00:00:00Z\",\"newer\":true}").outputTail()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProgressReport.fromJson("{\"step\":\"READY\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instanceId");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProgressReport.fromJson(
                "{\"instanceId\":\"i\",\"step\":\"DANCING\",\"state\":\"running\",\"time\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepsKeepTheirOrderAndNames() {
        assertThat(List.of(Step.values()).stream().map(Step::name)).containsExactly("DOWNLOADING_BUNDLE",
                "SOURCING_APP", "INSTALLING_DEPENDENCIES", "STARTING_WAVE_SERVER", "STARTING_APP", "READY");
    }

    @Test
    void reportsArePostedInOrderWithTheTokenAndRetried() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        List<String> auth = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/progress", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
            int status = calls.incrementAndGet() == 2 ? 500 : 204; // the second post fails once
            if (status == 204) {
                received.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/progress");
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (ProgressReporter reporter = new ProgressReporter("i-9", Optional.of(url), Optional.of("tok"),
                HttpClient.newHttpClient(), clock)) {
            reporter.running(Step.DOWNLOADING_BUNDLE, "a");
            reporter.running(Step.SOURCING_APP, "b");
            reporter.ready("c");
            assertThat(reporter.flush(Duration.ofSeconds(10))).isTrue();
        } finally {
            server.stop(0);
        }
        assertThat(received).extracting(j -> j.get("step").asText())
                .containsExactly("DOWNLOADING_BUNDLE", "SOURCING_APP", "READY");
        assertThat(received).extracting(j -> j.get("sequence").asLong()).containsExactly(1L, 2L, 3L);
        assertThat(received.get(2).get("state").asText()).isEqualTo("done");
        assertThat(auth).containsOnly("Bearer tok");
    }

    @Test
    void anUnreachableStoreNeverBlocksOrThrows() {
        URI nowhere = URI.create("http://127.0.0.1:9/progress");
        try (ProgressReporter reporter = new ProgressReporter("i-9", Optional.of(nowhere), Optional.of("tok"),
                HttpClient.newHttpClient(), Clock.systemUTC())) {
            long start = System.nanoTime();
            reporter.running(Step.DOWNLOADING_BUNDLE, "a");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(reporter.flush(Duration.ofMillis(100))).as("still retrying in the background").isFalse();
        }
    }
}
