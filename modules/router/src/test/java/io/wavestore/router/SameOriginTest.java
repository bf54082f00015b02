package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class SameOriginTest {

    private static HttpRequest upgrade(String host, String origin) {
        HttpRequest request = HttpRequest.GET("/instance/i-1/_s/").addHeader(RawHeader.create("Host", host));
        return origin == null ? request : request.addHeader(RawHeader.create("Origin", origin));
    }

    @Test
    void acceptsPagesOfTheHostTheSocketIsFor() {
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example:8443", "https://store.example:8443"), false)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example", "https://store.example"), false)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example:443", "https://store.example"), false)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(upgrade("x.apps.example", "http://X.Apps.Example"), false)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example", null), false)).as("not a browser").isTrue();
    }

    @Test
    void refusesOtherSites() {
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example", "https://evil.example"), false)).isFalse();
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example:8443", "https://store.example"), false)).isFalse();
        assertThat(ProxyRoutes.sameOrigin(upgrade("store.example", "null"), false)).isFalse();
        assertThat(ProxyRoutes.sameOrigin(upgrade("other.apps.example", "https://x.apps.example"), false)).isFalse();
    }

    @Test
    void behindATrustedProxyTheForwardedHostCounts() {
        HttpRequest request = upgrade("10.0.0.5:8080", "https://store.example")
                .addHeader(RawHeader.create("X-Forwarded-Host", "store.example"));
        assertThat(ProxyRoutes.sameOrigin(request, true)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(request, false)).isFalse();
    }
}
