package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainGetTest {

    @Test
    void aBrowsersGetOfAFileIsPlain() {
        assertThat(PlainGet.path("GET /assets/index-1a2b.js HTTP/1.1\r\nHost: store.example.com\r\n"
                + "Accept: */*\r\nAccept-Encoding: gzip, br\r\nCookie: session=x\r\nConnection: keep-alive\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64)"))
                .isEqualTo("/assets/index-1a2b.js");
        assertThat(PlainGet.path("GET / HTTP/1.1\r\nhost:store")).isEqualTo("/");
        assertThat(PlainGet.path("GET / HTTP/1.1\r\nContent-Length: 0\r\nHost: store")).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "HEAD / HTTP/1.1\r\nHost: s",
        "POST / HTTP/1.1\r\nHost: s",
        "GET / HTTP/1.0\r\nHost: s",
        "GET http://s/ HTTP/1.1\r\nHost: s",
        "GET  / HTTP/1.1\r\nHost: s",
        "GET / x HTTP/1.1\r\nHost: s",
        "GET / HTTP/1.1",
        "GET / HTTP/1.1\r\nAccept: */*",
        "GET / HTTP/1.1\r\nHost: s\r\nHost: t",
        "GET / HTTP/1.1\r\nHost: s\r\nContent-Length: 1",
        "GET / HTTP/1.1\r\nHost: s\r\nContent-Length: 00",
        "GET / HTTP/1.1\r\nHost: s\r\nTransfer-Encoding: chunked",
        "GET / HTTP/1.1\r\nHost: s\r\nIf-None-Match: \"x\"",
        "GET / HTTP/1.1\r\nHost: s\r\nif-modified-since: Mon, 07 Dec 2026 06:19:27 GMT",
        "GET / HTTP/1.1\r\nHost: s\r\nRange: bytes=0-1",
        "GET / HTTP/1.1\r\nHost: s\r\nConnection: close",
        "GET / HTTP/1.1\r\nHost: s\r\nConnection: upgrade\r\nUpgrade: websocket",
        "GET / HTTP/1.1\r\nHost: s\r\nExpect: 100-continue",
        "GET / HTTP/1.1\r\nHost: s\r\n folded",
        "GET / HTTP/1.1\r\nHost : s",
        "GET / HTTP/1.1\r\nHost: s\r\nX: a\nb",
        "GET / HTTP/1.1\r\nHost: s\r\nX: \u00e9",
        "GET / HTTP/1.1\r\nHost: s\r\nno colon"
    })
    void anythingElseIsNot(String head) {
        assertThat(PlainGet.path(head)).isNull();
    }
}
