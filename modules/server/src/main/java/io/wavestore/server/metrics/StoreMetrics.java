package io.wavestore.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.wavestore.router.ProxyMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The metrics of one replica, in a registry of its own (never Prometheus' global default one: tests run several
 * stores in one JVM, and each must report only its own traffic). HTTP requests by method, route group and status
 * class; the router's latency to instances and its open WebSockets; gauges of the cluster's state that
 * {@link ClusterGauges} fills in at each scrape.
 */
public final class StoreMetrics implements ProxyMetrics {

    /** Methods outside this set are counted as "other", so that a client's made-up methods add no label values. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** From a cached page (~1 ms) to a slow upload or a starting instance (tens of seconds). */
    private static final double[] LATENCY_BUCKETS =
            {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter httpRequests;
    private final Histogram httpDuration;
    private final Histogram upstreamDuration;
    private final Gauge openWebSockets;
    final Gauge instances;
    final Gauge clusterMembers;
    final Gauge nodeShards;
    final Gauge nodeEntities;
    final Gauge clusterShards;
    final Gauge clusterEntities;
    final Counter collectFailures;

    public StoreMetrics(boolean jvm) {
        httpRequests = Counter.builder().name("wavestore_http_requests_total")
                .help("HTTP requests answered by this replica")
                .labelNames("method", "group", "status").register(registry);
        httpDuration = Histogram.builder().name("wavestore_http_request_duration_seconds")
                .help("Time from a request's arrival to its response's headers").unit(Unit.SECONDS)
                .labelNames("method", "group", "status").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        upstreamDuration = Histogram.builder().name("wavestore_proxy_upstream_duration_seconds")
                .help("Time from sending a request (or a WebSocket handshake) to an instance to its answer's headers")
                .unit(Unit.SECONDS).labelNames("kind", "status").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
        openWebSockets = Gauge.builder().name("wavestore_proxy_websockets_open")
                .help("Browser WebSockets this replica currently relays to instances").register(registry);
        instances = Gauge.builder().name("wavestore_instances")
                .help("Instances in the store by phase, as the release watcher sees them").labelNames("phase")
                .register(registry);
        clusterMembers = Gauge.builder().name("wavestore_cluster_members")
                .help("Cluster members by status, as this replica sees them").labelNames("status").register(registry);
        nodeShards = Gauge.builder().name("wavestore_sharding_node_shards")
                .help("Shards hosted by this replica").labelNames("type").register(registry);
        nodeEntities = Gauge.builder().name("wavestore_sharding_node_entities")
                .help("Entities running on this replica").labelNames("type").register(registry);
        clusterShards = Gauge.builder().name("wavestore_sharding_cluster_shards")
                .help("Shards per cluster member").labelNames("type", "member").register(registry);
        clusterEntities = Gauge.builder().name("wavestore_sharding_cluster_entities")
                .help("Entities per cluster member").labelNames("type", "member").register(registry);
        collectFailures = Counter.builder().name("wavestore_metrics_collect_failures_total")
                .help("Scrapes in which a part of the cluster's state did not answer in time (its gauges are left out)")
                .labelNames("collector").register(registry);
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** One answered request: {@code status} as sent (WebSocket upgrades count as 101). */
    public void httpRequest(String method, RouteGroup group, int status, Duration duration) {
        String m = METHODS.contains(method.toUpperCase(Locale.ROOT)) ? method.toUpperCase(Locale.ROOT) : "other";
        httpRequests.labelValues(m, group.label(), statusClass(status)).inc();
        httpDuration.labelValues(m, group.label(), statusClass(status)).observe(seconds(duration));
    }

    @Override
    public void upstreamAnswered(Kind kind, int status, Duration latency) {
        upstreamDuration.labelValues(kind.name().toLowerCase(Locale.ROOT), statusClass(status)).observe(seconds(latency));
    }

    @Override
    public void upstreamFailed(Kind kind, Duration latency) {
        upstreamDuration.labelValues(kind.name().toLowerCase(Locale.ROOT), "error").observe(seconds(latency));
    }

    @Override
    public void webSocketOpened() {
        openWebSockets.inc();
    }

    @Override
    public void webSocketClosed() {
        openWebSockets.dec();
    }

    /** The registry in Prometheus' text format (version 0.0.4). */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
