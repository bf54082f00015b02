package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.PostgresServer;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Management HTTP of a whole store: liveness, readiness (cluster membership, the database, shutdown) and metrics,
 * on a port of its own. The store has a PostgreSQL of its own, so that the test can stop it.
 */
class ManagementIT {

    @TempDir
    Path dataDir;

    @Test
    void healthAndMetricsFollowTheStore() throws Exception {
        PostgresServer postgres = PostgresServer.start();
        TestDatabase database = new TestDatabase(postgres.createDatabase(), postgres.user(), postgres.password());
        int port = TestStoreConfig.freePort();
        Wavestore store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of(
                "wavestore.management.port", 0,
                "wavestore.management.unready-delay", "3s")));
        try {
            assertThat(store.managementAddress().getPort()).isPositive().isNotEqualTo(8558);
            StoreClient management = new StoreClient(URI.create("http://127.0.0.1:" + store.managementAddress().getPort()));
            StoreClient api = new StoreClient(URI.create("http://127.0.0.1:" + port));

            assertThat(management.get("/alive").statusCode()).isEqualTo(200);
            awaitStatus(management, "/ready", 200);

            assertThat(api.get("/api/v1/apps").statusCode()).isEqualTo(200);
            assertThat(api.get("/api/v1/no-such-thing").statusCode()).isEqualTo(404);
            // The cluster-wide shard statistics leave out a region that does not answer within the scrape timeout
            // (a loaded machine, a region still registering): wait for a scrape that has this replica's.
            HttpResponse<String> metrics = awaitBody(management, "/metrics", "wavestore_sharding_cluster_entities{");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("text/plain").contains("version=0.0.4"));
            assertThat(metrics.body())
                    .contains("wavestore_http_requests_total{group=\"api\",method=\"GET\",status=\"2xx\"} 1.0")
                    .contains("wavestore_http_requests_total{group=\"api\",method=\"GET\",status=\"4xx\"} 1.0")
                    .contains("wavestore_http_request_duration_seconds_count{group=\"api\",method=\"GET\",status=\"2xx\"} 1")
                    // Asked of the release watcher and of cluster sharding at the scrape.
                    .contains("wavestore_instances{phase=\"running\"} 0.0")
                    .contains("wavestore_cluster_members{status=\"up\"} 1.0")
                    .contains("wavestore_sharding_node_shards{type=\"Instance\"} 0.0")
                    .contains("wavestore_sharding_cluster_entities{member=\"pekko://wavestore@127.0.0.1:")
                    .contains("jvm_threads_current")
                    .doesNotContain("wavestore_metrics_collect_failures_total{");
            // Management requests are not the store's traffic.
            assertThat(metrics.body()).doesNotContain("group=\"web\"");

            postgres.close();
            HttpResponse<String> ready = awaitStatus(management, "/ready", 503);
            assertThat(ready.body()).contains("wavestore-database");
            assertThat(management.get("/alive").statusCode()).isEqualTo(200);

            // Shutdown: not ready at once, while the store still answers during the unready delay.
            CoordinatedShutdown.get(store.system()).run(CoordinatedShutdown.unknownReason());
            HttpResponse<String> draining = management.get("/ready");
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(draining.body()).contains("wavestore-not-shutting-down");
            assertThat(api.get("/api/v1/me").statusCode()).isEqualTo(200);
        } finally {
            store.close();
            postgres.close();
        }
    }

    private static HttpResponse<String> awaitBody(StoreClient client, String path, String expected) {
        return Awaitility.await(path + " saying " + expected).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> client.get(path), r -> r.body().contains(expected));
    }

    private static HttpResponse<String> awaitStatus(StoreClient client, String path, int status) {
        return Awaitility.await(path + " answering " + status).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> client.get(path), r -> r.statusCode() == status);
    }
}
