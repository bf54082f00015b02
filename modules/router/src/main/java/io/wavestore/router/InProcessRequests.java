package io.wavestore.router;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.http.scaladsl.model.HttpHeader$;
import org.apache.pekko.http.scaladsl.model.IllegalUriException;

/**
 * Which of the store's requests the data plane hands to its routes in-process ({@link StoreRoutes}), and the pekko
 * request it hands them: a plain GET ({@link PlainGet}: read whole, no body, no upgrade, nothing unusual) whose
 * target and headers pekko's own parsers take without a complaint. Anything else (a body, an upload, a WebSocket,
 * a header pekko would only warn about, a target it would refuse) is relayed to the routes' loopback port as before,
 * where pekko-http's server parses it and answers or refuses it as it always did.
 */
final class InProcessRequests {

    /** Marks a request handed over in-process: its remote address is the browser's already ({@link FrontPeer}). */
    static final AttributeKey<Boolean> IN_PROCESS = AttributeKey.create("wavestore-in-process", Boolean.class);

    private InProcessRequests() {
    }

    /**
     * The request as pekko-http's server would have given it to the routes, or null when it is to be relayed.
     *
     * @param head    the request's head without the final blank line
     * @param host    its Host header's value, as sent
     * @param peer    the browser's address
     * @param timeout the request's {@code Timeout-Access} (the routes set their timeout answer through it)
     * @param limits  pekko's parser limits: what reaches one is pekko's server's to refuse (414, 431)
     */
    static HttpRequest of(String head, String host, InetSocketAddress peer, TimeoutAccess timeout,
            StoreRoutes.ParserLimits limits) {
        String target = PlainGet.path(head);
        if (target == null || target.length() >= limits.maxUriLength()) {
            return null;
        }
        Uri uri;
        try {
            uri = Uri.create("http://" + host + target); // the effective request URI, as pekko's server makes it
        } catch (IllegalUriException | IllegalArgumentException e) {
            return null;
        }
        List<HttpHeader> headers = new ArrayList<>();
        String[] lines = head.split("\r\n", -1);
        if (lines.length - 1 >= limits.maxHeaderCount()) {
            return null;
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (name.length() >= limits.maxHeaderNameLength() || value.length() >= limits.maxHeaderValueLength()) {
                return null;
            }
            switch (name.toLowerCase(Locale.ROOT)) {
                case "content-length" -> {
                    continue; // "0" (PlainGet): pekko makes it the (empty) entity, not a header
                }
                case "content-type" -> {
                    return null; // an entity's header: the relay's
                }
                default -> {
                }
            }
            HttpHeader header = parsed(name, value);
            if (header == null) {
                return null;
            }
            headers.add(header);
        }
        headers.add(timeout);
        return HttpRequest.create().withMethod(HttpMethods.GET).withUri(uri).addHeaders(headers)
                .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(peer))
                .addAttribute(IN_PROCESS, Boolean.TRUE);
    }

    /** The header as pekko models it; null when pekko's parser has anything to say about it. */
    private static HttpHeader parsed(String name, String value) {
        var result = HttpHeader$.MODULE$.parse(name, value, HttpHeader$.MODULE$.parse$default$3());
        if (result instanceof org.apache.pekko.http.scaladsl.model.HttpHeader$ParsingResult$Ok ok && ok.errors().isEmpty()) {
            return ok.header();
        }
        return null;
    }
}
