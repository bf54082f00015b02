package io.wavestore.router;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.TimeoutAccess;
import org.apache.pekko.http.scaladsl.model.HttpHeader$;
import org.apache.pekko.http.scaladsl.model.IllegalUriException;
import org.apache.pekko.util.ByteString;

/**
 * Which of the store's requests the data plane hands to its routes in-process ({@link StoreRoutes}), and the pekko
 * request it hands them: a request read whole ({@link RequestHead}: HTTP/1.1, GET, HEAD, DELETE, POST, PUT or PATCH,
 * no upgrade, no {@code Expect}, a body of a declared length of at most {@link #MAX_BODY}) whose target and headers
 * pekko's own parsers take without a complaint; its body becomes a strict entity with its Content-Type, as pekko's
 * server makes one. Anything else (a larger body such as a bundle upload, a chunked one, a WebSocket, a header pekko
 * would only warn about, a target it would refuse) is relayed to the routes' loopback port as before, where
 * pekko-http's server parses it and answers or refuses it as it always did. Conditions and ranges ({@code If-None-Match},
 * {@code Range}...) are the routes' directives' to answer, not pekko's server's: they go in-process as they are.
 */
final class InProcessRequests {

    /**
     * The largest body read whole and handed over in-process. The API's JSON bodies (tags, patches, secrets, tokens,
     * aliases) are a few hundred bytes; bundles are many times this and stay streamed through the relay. As large as
     * the largest head the front door holds, so a connection holds at most twice that while a request is read.
     */
    static final int MAX_BODY = 64 * 1024;

    /** Marks a request handed over in-process: its remote address is the browser's already ({@link FrontPeer}). */
    static final AttributeKey<Boolean> IN_PROCESS = AttributeKey.create("wavestore-in-process", Boolean.class);

    private InProcessRequests() {
    }

    /**
     * Whether a request with this head may be read whole and handed over in-process once its body came, as far as the
     * head's facts tell ({@link #of} checks its target and headers).
     */
    static boolean takesWhole(RequestHead parsed, StoreRoutes.ParserLimits limits) {
        return parsed != null && parsed.contentLength() <= Math.min(MAX_BODY, limits.maxContentLength())
                && parsed.target().length() < limits.maxUriLength();
    }

    /**
     * The request as pekko-http's server would have given it to the routes, or null when it is to be relayed.
     *
     * @param parsed  the head's facts ({@link #takesWhole})
     * @param head    the request's head without the final blank line
     * @param body    its body, {@code parsed.contentLength()} bytes
     * @param host    its Host header's value, as sent
     * @param peer    the browser's address
     * @param timeout the request's {@code Timeout-Access} (the routes set their timeout answer through it)
     * @param limits  pekko's parser limits: what reaches one is pekko's server's to refuse (413, 414, 431)
     */
    static HttpRequest of(RequestHead parsed, String head, ByteString body, String host, InetSocketAddress peer,
            TimeoutAccess timeout, StoreRoutes.ParserLimits limits) {
        if (!takesWhole(parsed, limits) || body.size() != parsed.contentLength()) {
            return null;
        }
        Uri uri;
        try {
            uri = Uri.create("http://" + host + parsed.target()); // the effective request URI, as pekko's server makes it
        } catch (IllegalUriException | IllegalArgumentException e) {
            return null;
        }
        List<HttpHeader> headers = new ArrayList<>();
        ContentType contentType = null;
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
            if (name.equalsIgnoreCase("content-length")) {
                continue; // the entity's length (RequestHead checked it), not a header
            }
            HttpHeader header = parsed(name, value);
            if (header == null) {
                return null;
            }
            if (header instanceof org.apache.pekko.http.javadsl.model.headers.ContentType type) {
                if (contentType != null) {
                    return null; // two: pekko's server refuses that (400)
                }
                contentType = type.contentType(); // the entity's, not a header, as pekko's server makes it
                continue;
            }
            headers.add(header);
        }
        headers.add(timeout);
        return HttpRequest.create().withMethod(method(parsed.method())).withUri(uri).addHeaders(headers)
                .withEntity(entity(contentType, body))
                .addAttribute(AttributeKeys.remoteAddress, RemoteAddress.create(peer))
                .addAttribute(IN_PROCESS, Boolean.TRUE);
    }

    /** The entity pekko's server gives a request whose body it read whole. */
    private static RequestEntity entity(ContentType contentType, ByteString body) {
        if (contentType == null) {
            return body.isEmpty() ? HttpEntities.EMPTY : HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM, body);
        }
        return HttpEntities.create(contentType, body);
    }

    private static HttpMethod method(String name) {
        return HttpMethods.lookup(name).orElseThrow(); // one of RequestHead's methods, every one of them pekko's
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
