package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which of the store's requests go to its routes in-process, and what the routes see of them. */
class InProcessRequestsTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 51234);
    /** pekko-http's defaults. */
    private static final StoreRoutes.ParserLimits LIMITS = new StoreRoutes.ParserLimits(2048, 64, 64, 8192);

    /** An exchange that is never started: only its Timeout-Access header is used. */
    private static final TimeoutAccess TIMEOUT = new InProcessExchange(null,
            new StoreRoutes(request -> null, null, java.time.Duration.ZERO, java.util.Optional.empty(), LIMITS), java.time.Duration.ZERO,
            () -> { })
            .header();

    private static HttpRequest of(String head) {
        return InProcessRequests.of(head, "store.example.com:8080", BROWSER, TIMEOUT, LIMITS);
    }

    @Test
    void anApiGetIsHandedOverAsPekkosServerWouldHaveParsedIt() {
        HttpRequest request = of("GET /api/v1/apps?latest=true&q=a%20b HTTP/1.1\r\nHost: store.example.com:8080\r\n"
                + "Accept: application/json\r\nCookie: wavestore_session=abc; other=1\r\nConnection: keep-alive\r\n"
                + "X-Custom: as it is\r\nContent-Length: 0");
        assertThat(request).isNotNull();
        assertThat(request.method().value()).isEqualTo("GET");
        assertThat(request.getUri().toString()).isEqualTo("http://store.example.com:8080/api/v1/apps?latest=true&q=a%20b");
        assertThat(request.getUri().query().get("q")).hasValue("a b");
        assertThat(request.getHeader(Cookie.class)).as("modelled, as the routes read it")
                .hasValueSatisfying(c -> assertThat(c.getCookies()).hasSize(2));
        assertThat(request.getHeader("x-custom").map(h -> h.value())).hasValue("as it is");
        assertThat(request.getHeader("host").map(h -> h.value())).hasValue("store.example.com:8080");
        assertThat(request.getHeader("content-length")).as("an empty entity, not a header").isEmpty();
        assertThat(request.entity().isKnownEmpty()).isTrue();
        assertThat(request.getHeader(TimeoutAccess.class)).as("the routes' timeout answer is set through it").isPresent();
        assertThat(request.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress()))
                .hasValue(BROWSER.getAddress());
        assertThat(request.getAttribute(InProcessRequests.IN_PROCESS)).hasValue(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 3",
        "DELETE /api/v1/tokens/x HTTP/1.1\r\nHost: s",
        "HEAD /api/v1/me HTTP/1.1\r\nHost: s",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nContent-Length: 3",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nExpect: 100-continue",
        "GET /instance/x/ HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nConnection: close",
        "GET /api/v1/me HTTP/1.0\r\nHost: s",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nContent-Type: text/plain",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nIf-None-Match: \"x\"",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nHost: t",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nX-Bad : space before the colon",
        "GET /a%zz HTTP/1.1\r\nHost: s",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nDate: not a date",
    })
    void anythingElseIsRelayedForPekkosServerToParseOrRefuse(String head) {
        assertThat(of(head)).isNull();
    }

    @Test
    void whatReachesOneOfPekkosParserLimitsIsRelayedForPekkosServerToRefuse() {
        assertThat(of("GET /api/v1/apps/" + "a".repeat(2040) + " HTTP/1.1\r\nHost: s")).as("URI too long").isNull();
        assertThat(of("GET /api/v1/apps HTTP/1.1\r\nHost: s\r\nX-Pad: " + "p".repeat(8192))).as("header too large").isNull();
        assertThat(of("GET /api/v1/apps HTTP/1.1\r\nHost: s\r\n" + "X-H: 1\r\n".repeat(63) + "X-H: 1"))
                .as("too many headers").isNull();
        assertThat(of("GET /api/v1/apps HTTP/1.1\r\nHost: s\r\nX-" + "n".repeat(70) + ": 1")).as("name too long").isNull();
        assertThat(of("GET /api/v1/apps HTTP/1.1\r\nHost: s\r\n" + "X-H: 1\r\n".repeat(40) + "X-Pad: " + "p".repeat(4000)))
                .as("within every limit").isNotNull();
    }
}
