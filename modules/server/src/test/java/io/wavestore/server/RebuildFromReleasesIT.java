package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.kubernetes.HelmReleaseCopies;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (does not judge) how long a store that starts from nothing takes to rebuild its view of N instances from
 * their Helm releases: from {@code Wavestore.start} until its directory lists all N, and until every instance's own
 * actor answers with its record. N is {@code -Dwavestore.rebuild.releases} (30 in the suite; loadtest/ reports 1,000):
 * {@code mvn -pl modules/server verify -Dit.test=RebuildFromReleasesIT -Dwavestore.rebuild.releases=1000}.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class})
class RebuildFromReleasesIT {

    @TempDir
    Path dataDir;

    @Test
    void timesTheRebuildOfTheWholeStore(TestNamespace namespace, TestDatabase database) throws Exception {
        int releases = Integer.getInteger("wavestore.rebuild.releases", 30);
        String template;
        try (Wavestore store = start(namespace, database)) {
            StoreClient client = client(store);
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", WaveBundleBuilder.app("rebuilt", "1.0.0").bytes())
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> started = client.send("POST", "/api/v1/instances", "{\"app\":\"rebuilt\",\"version\":\"1.0.0\"}");
            template = StoreClient.json(started).get("id").asText();
        }
        List<String> ids = new ArrayList<>();
        for (int i = 1; i < releases; i++) {
            ids.add(String.format("i-copy-%05d", i));
        }
        long createStart = System.nanoTime();
        HelmReleaseCopies.of(namespace.client(), template, 1).create(namespace.client(), ids, 2);
        long createMillis = millisSince(createStart);
        ids.add(template);

        long startNanos = System.nanoTime();
        try (Wavestore store = start(namespace, database)) {
            long boundMillis = millisSince(startNanos);
            StoreClient client = client(store);
            int listed = 0;
            while (listed < releases) {
                listed = StoreClient.json(client.get("/api/v1/instances?app=rebuilt")).size();
                if (listed < releases) {
                    Thread.sleep(50);
                }
            }
            long listedMillis = millisSince(startNanos);
            long askStart = System.nanoTime();
            everyActorAnswers(store, ids);
            long actorsMillis = millisSince(startNanos);
            long askMillis = millisSince(askStart);
            long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
            System.out.printf("""
                    ===== rebuild of the whole store: %d instances (%d release Secrets) =====
                    creating the release copies: %d ms
                    Wavestore.start until listening (database, cluster of one, watcher started): %d ms
                    start until the directory lists all %d: %d ms
                    start until every instance actor answered with its record: %d ms (%d ms of asking, 8 clients)
                    test JVM heap in use afterwards (store and test together): %d MB
                    """, releases, releases * 3 - 2, createMillis, boundMillis, releases, listedMillis, actorsMillis, askMillis,
                    heapMb);
        }
    }

    private static void everyActorAnswers(Wavestore store, List<String> ids) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> answers = new ArrayList<>();
            for (String id : ids) {
                answers.add(CompletableFuture.runAsync(() -> {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + store.address().getPort() + "/api/v1/instances/" + id)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        JsonNode instance = StoreClient.json(response);
                        assertThat(instance.get("appName").asText()).as(response.body()).isEqualTo("rebuilt");
                    } catch (Exception e) {
                        throw new IllegalStateException(id, e);
                    }
                }, pool));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
    }

    private Wavestore start(TestNamespace namespace, TestDatabase database) throws Exception {
        return Wavestore.start(TestStoreConfig.kubernetes(dataDir, database, namespace));
    }

    private static StoreClient client(Wavestore store) {
        return new StoreClient(URI.create("http://127.0.0.1:" + store.address().getPort()));
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
