package io.wavestore.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** A plain HTTP client for tests, speaking to a running store as curl or the UI would. */
final class StoreClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private String user;
    private String role;

    StoreClient(URI base) {
        this.base = base;
    }

    /** Acts as another user through the development identity's headers; null goes back to the default. */
    StoreClient as(String user, String role) {
        StoreClient other = new StoreClient(base);
        other.user = user;
        other.role = role;
        return other;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> upload(String path, Path file) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> upload(String path, byte[] bytes) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json);
        return http.send(request(path).header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Terminates every instance the caller sees: launchers outlive a store, a test leaves none running. */
    void terminateEveryInstance() throws IOException, InterruptedException {
        for (JsonNode instance : json(get("/api/v1/instances"))) {
            send("DELETE", "/api/v1/instances/" + instance.get("id").asText(), null);
        }
    }

    /**
     * Polls {@code GET /api/v1/instances/{id}} until the instance satisfies {@code condition}; on time-out fails with
     * the last state seen and the tail of the instance's log.
     */
    JsonNode awaitInstance(String id, java.util.function.Predicate<JsonNode> condition, java.time.Duration within)
            throws IOException, InterruptedException {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        try {
            return Awaitility.await("instance " + id).atMost(within).pollInterval(java.time.Duration.ofMillis(300))
                    .until(() -> {
                        HttpResponse<String> response = get("/api/v1/instances/" + id);
                        return response.statusCode() == 200 ? json(response) : null;
                    }, seen -> {
                        if (seen != null) {
                            last.set(seen);
                        }
                        return seen != null && condition.test(seen);
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("instance " + id + " did not get there within " + within + "; last seen: "
                    + last.get() + "\nlog:\n" + get("/api/v1/instances/" + id + "/logs?tail=40").body(), e);
        }
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        // Apps are served on their own origin, never on the store's.
        URI origin = path.startsWith("/instance/") ? TestStoreConfig.appsOrigin(base) : base;
        HttpRequest.Builder builder = HttpRequest.newBuilder(origin.resolve(path));
        if (user != null) {
            builder.header("X-Dev-User", user);
        }
        if (role != null) {
            builder.header("X-Dev-Role", role);
        }
        return builder;
    }
}
