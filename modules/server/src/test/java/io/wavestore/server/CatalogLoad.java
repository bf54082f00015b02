package io.wavestore.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A few clients looping on catalog reads (the app listing) and writes (a new tag each time), recording every answer:
 * what a store under an outage is judged by. A request that gets no answer within {@link #HANG} is recorded as a hang.
 */
final class CatalogLoad implements AutoCloseable {

    static final Duration HANG = Duration.ofSeconds(15);

    /** One answer: when it was asked (nanoTime), how long it took, its status (0: none), body and Retry-After. */
    record Outcome(long askedAt, Duration took, String method, int status, String body, String retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    /** Tags whose creation the store confirmed (201): they must all survive the outage. */
    private final ConcurrentLinkedQueue<String> createdTags = new ConcurrentLinkedQueue<>();

    CatalogLoad(URI base, int clientCount) {
        this.base = base;
        for (int i = 0; i < clientCount; i++) {
            int client = i;
            Thread thread = new Thread(() -> loop(client), "catalog-load-" + i);
            thread.setDaemon(true);
            clients.add(thread);
            thread.start();
        }
    }

    private void loop(int client) {
        for (int n = 0; running.get(); n++) {
            ask("GET", "/api/v1/apps", null);
            String tag = "load-" + client + "-" + n;
            Outcome created = ask("POST", "/api/v1/tags", "{\"name\":\"" + tag + "\"}");
            if (created.status() == 201) {
                createdTags.add(tag);
            }
        }
    }

    private Outcome ask(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(HANG)
                .header("X-Dev-User", "load-admin").header("X-Dev-Role", "admin");
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        long asked = System.nanoTime();
        Outcome outcome;
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            outcome = new Outcome(asked, Duration.ofNanos(System.nanoTime() - asked), method, response.statusCode(),
                    response.body(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            outcome = new Outcome(asked, Duration.ofNanos(System.nanoTime() - asked), method, 0, e.toString(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = new Outcome(asked, Duration.ofNanos(System.nanoTime() - asked), method, 0, "interrupted", null);
        }
        outcomes.add(outcome);
        return outcome;
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** The answers to requests asked after {@code nanoTime}. */
    List<Outcome> since(long nanoTime) {
        return outcomes.stream().filter(o -> o.askedAt() - nanoTime >= 0).toList();
    }

    List<String> createdTags() {
        return List.copyOf(createdTags);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread client : clients) {
            client.join(HANG.plusSeconds(5).toMillis());
        }
    }
}
