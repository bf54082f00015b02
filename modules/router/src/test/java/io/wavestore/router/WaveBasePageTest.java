package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class WaveBasePageTest {

    private static final String PAGE = "<script src=\"/instance/i-1/wave-static/index.js\"></script>"
            + "<body data-base-url=\"/instance/i-1/\" data-nonce=\"n\">";

    @Test
    void thePageNamesTheAliasAsItsBaseUrl() {
        assertThat(WaveBasePage.replaceFirst(ByteString.fromString(PAGE), "data-base-url=\"/instance/i-1/\"",
                "data-base-url=\"/instance/team/\"").utf8String())
                .isEqualTo("<script src=\"/instance/i-1/wave-static/index.js\"></script>"
                        + "<body data-base-url=\"/instance/team/\" data-nonce=\"n\">");
    }

    @Test
    void aPageWithoutTheAttributeStaysAsItIs() {
        ByteString other = ByteString.fromString("<p>data-base-url elsewhere</p>");
        assertThat(WaveBasePage.replaceFirst(other, "data-base-url=\"/instance/i-1/\"", "x")).isSameAs(other);
    }

    @Test
    void onlyPlainHtmlPagesAreTouched() {
        HttpResponse script = HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, PAGE));
        assertThat(WaveBasePage.retarget(script, "i-1", "team")).isSameAs(script);
        HttpResponse notFound = HttpResponse.create().withStatus(StatusCodes.NOT_FOUND)
                .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, PAGE));
        assertThat(WaveBasePage.retarget(notFound, "i-1", "team")).isSameAs(notFound);
        HttpResponse gzipped = HttpResponse.create().addHeader(RawHeader.create("Content-Encoding", "gzip"))
                .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, PAGE));
        assertThat(WaveBasePage.retarget(gzipped, "i-1", "team")).isSameAs(gzipped);
        HttpResponse page = HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, PAGE));
        assertThat(WaveBasePage.retarget(page, "i-1", "team")).isNotSameAs(page);
    }
}
