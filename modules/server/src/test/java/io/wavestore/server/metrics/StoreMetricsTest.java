package io.wavestore.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.router.ProxyMetrics;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreMetricsTest {

    @Test
    void requestsAreCountedByMethodGroupAndStatusClassUnderStableNames() {
        StoreMetrics metrics = new StoreMetrics(false);
        metrics.httpRequest("get", RouteGroup.API, 200, Duration.ofMillis(3));
        metrics.httpRequest("GET", RouteGroup.API, 204, Duration.ofMillis(3));
        metrics.httpRequest("BREW", RouteGroup.WEB, 404, Duration.ofMillis(1));

        String text = metrics.scrape();

        assertThat(text).contains("wavestore_http_requests_total{group=\"api\",method=\"GET\",status=\"2xx\"} 2.0");
        // A made-up method is "other", never a label value of its own.
        assertThat(text).contains("wavestore_http_requests_total{group=\"web\",method=\"other\",status=\"4xx\"} 1.0")
                .doesNotContain("BREW");
        assertThat(text).contains("wavestore_http_request_duration_seconds_bucket{group=\"api\",method=\"GET\","
                + "status=\"2xx\",le=\"0.005\"} 2");
        assertThat(text).contains("# TYPE wavestore_http_request_duration_seconds histogram");
    }

    @Test
    void theRoutersTrafficIsMeasuredAndOpenWebSocketsCounted() {
        StoreMetrics metrics = new StoreMetrics(false);
        metrics.upstreamAnswered(ProxyMetrics.Kind.HTTP, 502, Duration.ofMillis(20));
        metrics.upstreamFailed(ProxyMetrics.Kind.WEBSOCKET, Duration.ofSeconds(5));
        metrics.webSocketOpened();
        metrics.webSocketOpened();
        metrics.webSocketClosed();

        String text = metrics.scrape();

        assertThat(text).contains("wavestore_proxy_upstream_duration_seconds_count{kind=\"http\",status=\"5xx\"} 1");
        assertThat(text).contains("wavestore_proxy_upstream_duration_seconds_count{kind=\"websocket\",status=\"error\"} 1");
        assertThat(text).contains("wavestore_proxy_websockets_open 1.0");
    }

    @Test
    void everyStoreHasARegistryOfItsOwn() {
        StoreMetrics one = new StoreMetrics(true);
        StoreMetrics other = new StoreMetrics(true);
        one.httpRequest("GET", RouteGroup.API, 200, Duration.ofMillis(1));

        assertThat(one.scrape()).contains("wavestore_http_requests_total{").contains("jvm_memory_used_bytes");
        assertThat(other.scrape()).doesNotContain("wavestore_http_requests_total{")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void requestsFallIntoTheirRouteGroup() {
        Optional<String> apps = Optional.of("apps.example.com");
        assertThat(RouteGroup.of("store.example.com", "/api/v1/apps", apps)).isEqualTo(RouteGroup.API);
        assertThat(RouteGroup.of("store.example.com", "/auth/login", apps)).isEqualTo(RouteGroup.AUTH);
        assertThat(RouteGroup.of("store.example.com", "/instance/i-1/ws", apps)).isEqualTo(RouteGroup.INSTANCE);
        // On an app's own host name every path is the app's, /api/ included.
        assertThat(RouteGroup.of("i-1.APPS.example.com", "/api/v1/apps", apps)).isEqualTo(RouteGroup.INSTANCE);
        assertThat(RouteGroup.of("store.example.com", "/apis", apps)).isEqualTo(RouteGroup.WEB);
        assertThat(RouteGroup.of("store.example.com", "/", Optional.empty())).isEqualTo(RouteGroup.WEB);
    }

    @Test
    void statusesAreClassesNotCodes() {
        assertThat(StoreMetrics.statusClass(101)).isEqualTo("1xx");
        assertThat(StoreMetrics.statusClass(503)).isEqualTo("5xx");
        assertThat(StoreMetrics.statusClass(999)).isEqualTo("other");
    }
}
