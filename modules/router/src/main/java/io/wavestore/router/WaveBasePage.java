package io.wavestore.router;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * Lets a BASE_URL Wave app's page work under an alias. waved writes its one base URL into the page
 * ({@code <body data-base-url="/instance/<id>/">}), and the Wave client renders only while the browser's path starts
 * with it (its router's single route is that base URL): under {@code /instance/<alias>/} the page stays blank. So the
 * page, and only the page (a navigation answered with HTML), names the alias the browser is on; its socket, uploads and
 * assets then go through the alias too, and {@link WaveRouteRewrite} names the instance to waved again. Everything
 * else the app serves passes untouched, and so does a page under the instance's own id.
 *
 * <p>This is the one place the router changes a body. Nothing else would do: waved takes one base URL, and the page
 * names it in no header and no URL the router could answer instead.
 */
final class WaveBasePage {

    /** waved's page is a few kilobytes; anything this large is not it and passes as it came. */
    static final int MAX_PAGE_BYTES = 1 << 20;

    private WaveBasePage() {
    }

    /**
     * The page answered for a navigation to {@code /instance/<alias>/...}, with its base URL turned into the alias's;
     * any other response as it is. The request went upstream without Accept-Encoding, so the page is not compressed.
     */
    static HttpResponse retarget(HttpResponse response, String instanceId, String alias) {
        if (response.status().intValue() != 200 || !isPlainHtml(response)
                || response.entity().getContentLengthOption().orElse(0) > MAX_PAGE_BYTES) {
            return response;
        }
        String from = attribute(instanceId);
        String to = attribute(alias);
        Flow<ByteString, ByteString, NotUsed> retargeted = Flow.of(ByteString.class)
                .<ByteString>fold(ByteString.emptyByteString(), (page, part) -> page.concat(part))
                .map(page -> page.size() > MAX_PAGE_BYTES ? page : replaceFirst(page, from, to));
        return response.withEntity(HttpEntities.createChunked(response.entity().getContentType(),
                response.entity().getDataBytes().via(retargeted)));
    }

    static ByteString replaceFirst(ByteString page, String from, String to) {
        String html = page.utf8String();
        int at = html.indexOf(from);
        return at < 0 ? page : ByteString.fromString(html.substring(0, at) + to + html.substring(at + from.length()),
                StandardCharsets.UTF_8);
    }

    private static String attribute(String name) {
        return "data-base-url=\"/instance/" + name + "/\"";
    }

    private static boolean isPlainHtml(HttpResponse response) {
        Optional<String> encoding = response.getHeader("Content-Encoding").map(HttpHeader::value);
        return response.entity().getContentType().mediaType().toString().toLowerCase(Locale.ROOT).equals("text/html")
                && encoding.map(e -> e.isBlank() || e.equalsIgnoreCase("identity")).orElse(true);
    }
}
