package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class ForwardedHeadersTest {

    private static final List<String> STORE_COOKIES = List.of("wavestore*", "__Host-wavestore*", "exact_name");
    private static final ForwardedHeaders UNTRUSTED = new ForwardedHeaders(List.of("X-Dev-User"), STORE_COOKIES, false);
    private static final ForwardedHeaders TRUSTED = new ForwardedHeaders(List.of("X-Dev-User"), STORE_COOKIES, true);
    private static final ForwardedHeaders.Origin ORIGIN = new ForwardedHeaders.Origin(Optional.of("10.0.0.7"), "https",
            "store.example:8443", Optional.of("/instance/sales"));

    private static Map<String, List<String>> names(List<HttpHeader> headers) {
        return headers.stream().collect(Collectors.groupingBy(HttpHeader::lowercaseName,
                Collectors.mapping(HttpHeader::value, Collectors.toList())));
    }

    /** Headers as HTTP writes them, a {@code Name: value} a line. */
    private static List<HttpHeader> headers(String lines) {
        return lines.lines().map(line -> (HttpHeader) RawHeader.create(line.substring(0, line.indexOf(':')),
                line.substring(line.indexOf(':') + 1).strip())).toList();
    }

    @Test
    void dropsHopByHopHeadersAndThoseConnectionNames() {
        Map<String, List<String>> out = names(UNTRUSTED.request(headers("""
                Host: store.example:8443
                Connection: keep-alive, X-Private-Hop
                X-Private-Hop: secret
                Keep-Alive: timeout=5
                TE: trailers
                Trailer: X-Checksum
                Upgrade: h2c
                Proxy-Connection: keep-alive
                Proxy-Authorization: Basic eA==
                Expect: 100-continue
                Accept: text/html
                """), ORIGIN, false));
        assertThat(out).containsOnlyKeys("host", "accept", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
                "x-forwarded-prefix");
    }

    @Test
    void neverForwardsTheStoresCredentials() {
        Map<String, List<String>> out = names(UNTRUSTED.request(headers("""
                Authorization: Bearer store
                X-Dev-User: olga
                Cookie: wavestore_session=1; theme=dark; exact_name=2
                Cookie: __Host-wavestore-csrf=3; lang=en; exact_name_not=4
                """), ORIGIN, false));
        assertThat(out).doesNotContainKeys("authorization", "x-dev-user");
        assertThat(out.get("cookie")).containsExactly("theme=dark; lang=en; exact_name_not=4");

        Map<String, List<String>> onlyStore = names(UNTRUSTED.request(List.of(
                RawHeader.create("Cookie", "wavestore_session=1")), ORIGIN, false));
        assertThat(onlyStore).doesNotContainKey("cookie");
    }

    @Test
    void neverForwardsAnyDevelopmentHeaderNorConfiguredPrefixes() {
        ForwardedHeaders withPrefix = new ForwardedHeaders(List.of("X-Store-*", "X-CSRF-Token"), STORE_COOKIES, false);
        Map<String, List<String>> out = names(withPrefix.request(headers("""
                X-Dev-User: olga
                X-Dev-Foo: bar
                x-dev-role: admin
                X-Store-Anything: 1
                X-CSRF-Token: t
                X-Developer: kept: not the X-Dev- prefix
                Accept: text/html
                """), ORIGIN, false));
        assertThat(out).containsKeys("accept", "x-developer")
                .doesNotContainKeys("x-dev-user", "x-dev-foo", "x-dev-role", "x-store-anything", "x-csrf-token");
    }

    @Test
    void replacesForwardingHeadersUnlessTrusted() {
        List<HttpHeader> incoming = headers("""
                Host: store.example:8443
                X-Forwarded-For: 1.2.3.4
                X-Forwarded-Proto: http
                X-Forwarded-Host: evil
                X-Forwarded-Prefix: /evil
                Forwarded: for=1.2.3.4
                X-Real-IP: 1.2.3.4
                """);
        Map<String, List<String>> untrusted = names(UNTRUSTED.request(incoming, ORIGIN, false));
        assertThat(untrusted.get("x-forwarded-for")).containsExactly("10.0.0.7");
        assertThat(untrusted.get("x-forwarded-proto")).containsExactly("https");
        assertThat(untrusted.get("x-forwarded-host")).containsExactly("store.example:8443");
        assertThat(untrusted.get("x-forwarded-prefix")).containsExactly("/instance/sales");
        assertThat(untrusted).doesNotContainKeys("forwarded", "x-real-ip");

        Map<String, List<String>> trusted = names(TRUSTED.request(incoming, ORIGIN, false));
        assertThat(trusted.get("x-forwarded-for")).containsExactly("1.2.3.4, 10.0.0.7");
        assertThat(trusted.get("x-forwarded-proto")).containsExactly("http");
        assertThat(trusted.get("x-forwarded-host")).containsExactly("evil");
        assertThat(trusted.get("x-forwarded-prefix")).containsExactly("/instance/sales");
        assertThat(trusted.get("forwarded")).containsExactly("for=1.2.3.4");
    }

    @Test
    void leavesTheWebSocketHandshakeToTheNextHop() {
        Map<String, List<String>> out = names(UNTRUSTED.request(headers("""
                Sec-WebSocket-Key: abc
                Sec-WebSocket-Version: 13
                Sec-WebSocket-Extensions: permessage-deflate
                Sec-WebSocket-Protocol: wave
                Origin: https://store.example:8443
                """), ORIGIN, true));
        assertThat(out).containsKey("origin").doesNotContainKeys("sec-websocket-key", "sec-websocket-version",
                "sec-websocket-extensions", "sec-websocket-protocol");
        assertThat(out.get("host")).containsExactly("store.example:8443");
    }

    @Test
    void filtersTheAppsAnswer() {
        Map<String, List<String>> out = names(UNTRUSTED.response(headers("""
                Connection: close, X-Internal
                X-Internal: 1
                Keep-Alive: timeout=5
                Proxy-Authenticate: Basic
                Set-Cookie: wavestore_session=stolen; Path=/
                Set-Cookie: __Host-wavestore-csrf=x; Path=/; Secure
                Set-Cookie: wavestore_app=forged-pass; Path=/
                Set-Cookie: app=1; Path=/
                Date: Wed, 25 Nov 2026 09:00:00 GMT
                Server: TornadoServer/6.4
                Cache-Control: no-cache
                """)));
        assertThat(out).as("the store's server writes the Date and Server")
                .containsOnlyKeys("set-cookie", "cache-control", "x-content-type-options");
        assertThat(out.get("set-cookie")).as("no app sets a cookie of the store's, nor its own pass")
                .containsExactly("app=1; Path=/");
        assertThat(out.get("x-content-type-options")).containsExactly("nosniff");
        assertThat(names(UNTRUSTED.response(List.of(RawHeader.create("X-Content-Type-Options", "nosniff")))))
                .as("an app's own choice stays").containsEntry("x-content-type-options", List.of("nosniff"));
    }
}
