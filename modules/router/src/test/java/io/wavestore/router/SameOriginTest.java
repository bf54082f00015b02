package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SameOriginTest {

    private static HttpRequest upgrade(String host, String origin) {
        HttpRequest request = HttpRequest.GET("/instance/i-1/_s/").addHeader(RawHeader.create("Host", host));
        return origin == null ? request : request.addHeader(RawHeader.create("Origin", origin));
    }

    @ParameterizedTest(name = "Host {0}, Origin {1}: same origin {2}")
    @CsvSource(nullValues = "none", value = {
            // pages of the host the socket is for
            "store.example:8443, https://store.example:8443, true",
            "store.example, https://store.example, true",
            "store.example:443, https://store.example, true",
            "x.apps.example, http://X.Apps.Example, true",
            "store.example, none, true", // not a browser
            // other sites
            "store.example, https://evil.example, false",
            "store.example:8443, https://store.example, false",
            "store.example, null, false",
            "other.apps.example, https://x.apps.example, false"})
    void acceptsPagesOfTheHostTheSocketIsForOnly(String host, String origin, boolean same) {
        assertThat(ProxyRoutes.sameOrigin(upgrade(host, origin), false)).isEqualTo(same);
    }

    @Test
    void behindATrustedProxyTheForwardedHostCounts() {
        HttpRequest request = upgrade("10.0.0.5:8080", "https://store.example")
                .addHeader(RawHeader.create("X-Forwarded-Host", "store.example"));
        assertThat(ProxyRoutes.sameOrigin(request, true)).isTrue();
        assertThat(ProxyRoutes.sameOrigin(request, false)).isFalse();
    }
}
