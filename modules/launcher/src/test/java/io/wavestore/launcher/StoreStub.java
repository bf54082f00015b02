package io.wavestore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stands in for the store's two launcher endpoints on 127.0.0.1: {@code GET /api/v1/instances/{id}/bundle}
 * serves the instance's bundle only to its own credential (an HMAC of the instance id, as the store will mint),
 * {@code POST /api/v1/instances/{id}/progress} records reports, accepted or refused.
 */
final class StoreStub implements AutoCloseable {
    /** A progress report as received, with when it arrived. */
    record Received(JsonNode json, Instant at, boolean accepted) {
        String step() {
            return json.get("step").asText();
        }

        String state() {
            return json.get("state").asText();
        }

        String message() {
            return json.get("message").asText();
        }

        List<String> outputTail() {
            List<String> lines = new ArrayList<>();
            json.get("outputTail").forEach(n -> lines.add(n.asText()));
            return lines;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] KEY = "wavestore-it-instance-credential-key".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final Map<String, Path> bundles = new ConcurrentHashMap<>();
    private final Map<String, List<Received>> reports = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> bundleAnswers = new ConcurrentHashMap<>();

    StoreStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/instances/", this::handle);
        server.start();
    }

    static String tokenFor(String instanceId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(instanceId.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void serve(String instanceId, Path bundle) {
        bundles.put(instanceId, bundle);
    }

    URI bundleUrl(String instanceId) {
        return URI.create(base() + "/api/v1/instances/" + instanceId + "/bundle");
    }

    URI progressUrl(String instanceId) {
        return URI.create(base() + "/api/v1/instances/" + instanceId + "/progress");
    }

    List<Received> reports(String instanceId) {
        synchronized (reports) {
            return List.copyOf(reports.getOrDefault(instanceId, List.of()));
        }
    }

    List<Integer> bundleAnswers(String instanceId) {
        synchronized (bundleAnswers) {
            return List.copyOf(bundleAnswers.getOrDefault(instanceId, List.of()));
        }
    }

    /** Waits for an accepted or refused report matching {@code test}; fails when {@code stillRunning} says no. */
    Received await(String instanceId, Predicate<Received> test, Duration timeout, LauncherProcess launcher)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (Received r : reports(instanceId)) {
                if (test.test(r)) {
                    return r;
                }
            }
            if (!launcher.isAlive()) {
                Thread.sleep(500); // a last report may still be on its way
                for (Received r : reports(instanceId)) {
                    if (test.test(r)) {
                        return r;
                    }
                }
                throw new AssertionError("the launcher exited (" + launcher.exitCode() + ") before the expected report;"
                        + " got " + summary(instanceId) + "; its log: " + launcher.log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no expected report within " + timeout + "; got " + summary(instanceId)
                + "; launcher log: " + launcher.log());
    }

    String summary(String instanceId) {
        return reports(instanceId).stream().map(r -> r.step() + "/" + r.state() + (r.accepted() ? "" : "(refused)"))
                .toList().toString();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().split("/"); // "", api, v1, instances, id, what
            if (parts.length != 6) {
                answer(exchange, 404, "no such endpoint");
                return;
            }
            String id = parts[4];
            boolean authorized = ("Bearer " + tokenFor(id)).equals(exchange.getRequestHeaders()
                    .getFirst("Authorization"));
            if (parts[5].equals("bundle") && exchange.getRequestMethod().equals("GET")) {
                Path bundle = bundles.get(id);
                int status = !authorized ? 401 : bundle == null ? 404 : 200;
                synchronized (bundleAnswers) {
                    bundleAnswers.computeIfAbsent(id, k -> new ArrayList<>()).add(status);
                }
                if (status != 200) {
                    answer(exchange, status, status == 401 ? "{\"detail\":\"not this instance's credential\"}"
                            : "{\"detail\":\"no such instance\"}");
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/zip");
                exchange.sendResponseHeaders(200, Files.size(bundle));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(bundle, out);
                }
            } else if (parts[5].equals("progress") && exchange.getRequestMethod().equals("POST")) {
                JsonNode json = JSON.readTree(exchange.getRequestBody());
                synchronized (reports) {
                    reports.computeIfAbsent(id, k -> new ArrayList<>()).add(new Received(json, Instant.now(),
                            authorized));
                }
                if (authorized) {
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    answer(exchange, 401, "{\"detail\":\"not this instance's credential\"}");
                }
            } else {
                answer(exchange, 405, "method not allowed");
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
