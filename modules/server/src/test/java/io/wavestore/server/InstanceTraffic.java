package io.wavestore.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Clients requesting instances through the replicas while the test kills or restarts them, each a thread that sends
 * one request after the other and writes every one down. A request is good when the instance's own Wave page comes
 * back through the router (a store page saying "starting" or "unavailable" is not), or, for the API, the instance.
 */
final class InstanceTraffic implements AutoCloseable {

    /**
     * Longer than the store's own second question for an instance (InstanceRoutes asks an actor again after 5 s):
     * Pekko drops a message that waits for a shard being handed off (a rolling restart), and the store then answers
     * after ~5 s. A client that gave up at 5 s counted that answer as a dropped request (seen once in CI).
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(12);
    private static final Duration PAUSE = Duration.ofMillis(100);

    /** One request as a client saw it; {@code replica} is the 1-based replica it went to. */
    record Attempt(String instanceId, int replica, String what, Instant start, Instant end, boolean ok, String detail) {
    }

    /** A client's request: its first attempt and, if that failed, the one retry on the next replica. */
    record Request(Attempt first, Optional<Attempt> retry) {
        boolean dropped() {
            return !first.ok() && retry.map(r -> !r.ok()).orElse(true);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    /** One client per (replica, instance), each always through its replica, never retrying: to see when what works. */
    static InstanceTraffic direct(List<ReplicaProcess> through, List<String> instanceIds) {
        InstanceTraffic traffic = new InstanceTraffic();
        for (ReplicaProcess replica : through) {
            for (String id : instanceIds) {
                traffic.threads.submit(() -> {
                    while (traffic.running) {
                        traffic.requests.add(new Request(traffic.page(replica, id), Optional.empty()));
                        traffic.pause();
                    }
                });
            }
        }
        return traffic;
    }

    /**
     * One client per instance, as behind a load balancer: each request goes to the next replica in turn, alternating the
     * instance's page and its API resource, and a failed one is retried once on the replica after it.
     */
    static InstanceTraffic balanced(List<ReplicaProcess> replicas, List<String> instanceIds) {
        InstanceTraffic traffic = new InstanceTraffic();
        for (String id : instanceIds) {
            traffic.threads.submit(() -> {
                int turn = Math.abs(id.hashCode());
                while (traffic.running) {
                    IntFunction<Attempt> attempt = n -> {
                        ReplicaProcess replica = replicas.get(n % replicas.size());
                        return n % 2 == 0 ? traffic.page(replica, id) : traffic.api(replica, id);
                    };
                    Attempt first = attempt.apply(turn);
                    Optional<Attempt> retry = first.ok() ? Optional.empty() : Optional.of(attempt.apply(turn + 1));
                    traffic.requests.add(new Request(first, retry));
                    turn++;
                    traffic.pause();
                }
            });
        }
        return traffic;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private Attempt page(ReplicaProcess replica, String id) {
        return send(replica, id, "page", "/instance/" + id + "/", "data-base-url=\"/instance/" + id + "/\"");
    }

    private Attempt api(ReplicaProcess replica, String id) {
        return send(replica, id, "api", "/api/v1/instances/" + id, "\"id\":\"" + id + "\"");
    }

    private Attempt send(ReplicaProcess replica, String id, String what, String path, String mark) {
        Instant start = Instant.now();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder((path.startsWith("/instance/")
                    ? TestStoreConfig.appsOrigin(replica.base()) : replica.base()).resolve(path))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            boolean ok = response.statusCode() == 200 && response.body().contains(mark);
            return new Attempt(id, replica.index, what, start, Instant.now(), ok, "HTTP " + response.statusCode());
        } catch (Exception e) {
            return new Attempt(id, replica.index, what, start, Instant.now(), false, e.getClass().getSimpleName());
        }
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        threads.shutdown();
        threads.awaitTermination(REQUEST_TIMEOUT.multipliedBy(3).toSeconds(), TimeUnit.SECONDS);
    }
}
