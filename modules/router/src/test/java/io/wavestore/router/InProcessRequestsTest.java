package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which of the store's requests go to its routes in-process, and what the routes see of them. */
class InProcessRequestsTest {

    private static final InetSocketAddress BROWSER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 51234);
    /** pekko-http's defaults. */
    private static final StoreRoutes.ParserLimits LIMITS = new StoreRoutes.ParserLimits(2048, 64, 64, 8192, 8 << 20);

    /** An exchange that is never started: only its Timeout-Access header is used. */
    private static final TimeoutAccess TIMEOUT = new InProcessExchange(null,
            new StoreRoutes(request -> null, null, java.time.Duration.ZERO, java.util.Optional.empty(), LIMITS), java.time.Duration.ZERO,
            () -> { })
            .header();

    private static HttpRequest of(String head) {
        return of(head, "", LIMITS);
    }

    /** The request handed over for this head and body, or null when it is relayed. */
    private static HttpRequest of(String head, String body, StoreRoutes.ParserLimits limits) {
        RequestHead parsed = RequestHead.parse(head);
        if (!InProcessRequests.takesWhole(parsed, limits)) {
            return null;
        }
        return InProcessRequests.of(parsed, head, ByteString.fromString(body), "store.example.com:8080", BROWSER,
                TIMEOUT, limits);
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

    @Test
    void aSmallBodyBecomesAStrictEntityWithItsContentTypeAsPekkosServerMakesIt() throws Exception {
        HttpRequest request = of("PATCH /api/v1/apps/a/1.0.0 HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                + "Content-Length: 12\r\nOrigin: http://s", "{\"tags\":[]}\n", LIMITS);
        assertThat(request.method().value()).isEqualTo("PATCH");
        assertThat(request.entity().isStrict()).isTrue();
        assertThat(request.entity().getContentType()).isEqualTo(ContentTypes.APPLICATION_JSON);
        assertThat(((HttpEntity.Strict) request.entity()).getData().utf8String()).isEqualTo("{\"tags\":[]}\n");
        assertThat(request.getHeader("content-type")).as("the entity's, not a header").isEmpty();
        assertThat(request.getHeader("content-length")).isEmpty();
        assertThat(request.getHeader("origin").map(h -> h.value())).hasValue("http://s");

        HttpRequest untyped = of("PUT /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: 2", "ab", LIMITS);
        assertThat(untyped.entity().getContentType()).as("pekko's default").isEqualTo(ContentTypes.APPLICATION_OCTET_STREAM);
        HttpRequest typedEmpty = of("POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Length: 0", "", LIMITS);
        assertThat(typedEmpty.entity().isKnownEmpty()).isTrue();
        assertThat(typedEmpty.entity().getContentType()).isEqualTo(ContentTypes.TEXT_PLAIN_UTF8);
        assertThat(of("DELETE /api/v1/tokens/x HTTP/1.1\r\nHost: s", "", LIMITS).entity())
                .as("no body: pekko's empty entity").isEqualTo(HttpEntities.EMPTY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DELETE /api/v1/tokens/x HTTP/1.1\r\nHost: s",
        "HEAD /api/v1/me HTTP/1.1\r\nHost: s",
        "GET /api/v1/apps/a/1/icon HTTP/1.1\r\nHost: s\r\nIf-None-Match: \"x\"",
        "GET /api/v1/apps/a/1/icon HTTP/1.1\r\nHost: s\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT",
        "GET /api/v1/apps/a/1/bundle HTTP/1.1\r\nHost: s\r\nRange: bytes=0-99\r\nIf-Range: \"x\"",
        "PUT /api/v1/secrets/s HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\nContent-Length: 0",
        "POST /api/v1/tags HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nCookie: wavestore_session=a",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nContent-Type: text/plain",
    })
    void readsDeletesConditionsAndSmallBodiesGoInProcess(String head) {
        assertThat(of(head)).isNotNull();
        assertThat(of(head).method().value()).isEqualTo(head.substring(0, head.indexOf(' ')));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "OPTIONS /api/v1/me HTTP/1.1\r\nHost: s",
        "CONNECT s:443 HTTP/1.1\r\nHost: s",
        "PRI * HTTP/2.0\r\n",
        "get /api/v1/me HTTP/1.1\r\nHost: s",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 3\r\nTransfer-Encoding: chunked",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nContent-Length: 0",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: -1",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: +0",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 00",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 99999999999999999999",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 65537",
        "POST /api/v1/apps HTTP/1.1\r\nHost: s\r\nContent-Length: 0\r\nExpect: 100-continue",
        "POST /api/v1/tags HTTP/1.1\r\nHost: s\r\nContent-Type: a\r\nContent-Length: 0",
        "POST /api/v1/tags HTTP/1.1\r\nHost: s\r\nContent-Type: text/plain\r\nContent-Type: text/plain",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nExpect: 100-continue",
        "GET /instance/x/ HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nConnection: close",
        "DELETE /api/v1/tokens/x HTTP/1.1\r\nHost: s\r\nConnection: close",
        "GET /api/v1/me HTTP/1.0\r\nHost: s",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nHost: t",
        "DELETE /api/v1/me HTTP/1.1",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nX-Bad : space before the colon",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nX-Folded: a\r\n  b",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nX-Ctl: a\u0001b",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nX-Bare: a\nb",
        "GET /a%zz HTTP/1.1\r\nHost: s",
        "GET http://s/api/v1/me HTTP/1.1\r\nHost: s",
        "GET  /api/v1/me HTTP/1.1\r\nHost: s",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nDate: not a date",
        "GET /api/v1/me HTTP/1.1\r\nHost: s\r\nIf-None-Match: not quoted",
    })
    void anythingElseIsRelayedForPekkosServerToParseOrRefuse(String head) {
        assertThat(of(head)).isNull();
    }

    @Test
    void aBodyIsHandedOverOnlyWithinTheBoundAndPekkosLimit() {
        String atTheBound = "b".repeat(InProcessRequests.MAX_BODY);
        assertThat(of("POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: " + InProcessRequests.MAX_BODY, atTheBound,
                LIMITS)).isNotNull();
        StoreRoutes.ParserLimits smallMaxContent = new StoreRoutes.ParserLimits(2048, 64, 64, 8192, 10);
        assertThat(of("POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: 11", "b".repeat(11), smallMaxContent))
                .as("over pekko's max-content-length: its server answers 413").isNull();
        assertThat(of("POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: 10", "b".repeat(10), smallMaxContent))
                .isNotNull();
        RequestHead declaresThree = RequestHead.parse("POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: 3");
        assertThat(InProcessRequests.of(declaresThree, "POST /api/v1/x HTTP/1.1\r\nHost: s\r\nContent-Length: 3",
                ByteString.fromString("ab"), "s", BROWSER, TIMEOUT, LIMITS)).as("not the body it declared").isNull();
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
