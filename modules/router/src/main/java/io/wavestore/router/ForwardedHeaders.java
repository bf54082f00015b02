package io.wavestore.router;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Which headers cross the router, in each direction.
 *
 * <ul>
 *   <li>Hop-by-hop headers stay on their hop (RFC 9110, section 7.6.1): Connection, every header Connection names,
 *       Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-Authenticate and
 *       Proxy-Authorization. pekko-http frames each hop itself (and WebSocket upgrades are made anew on the
 *       instance's side).</li>
 *   <li>The store's credentials never reach an app: Authorization, the store's cookies (removed from Cookie, the
 *       others kept), the store's own headers (names, or prefixes ending in "*") and every {@code X-Dev-*} header.
 *       An app may not set the store's cookies either.</li>
 *   <li>X-Forwarded-For, -Proto, -Host and -Prefix say what the browser asked for. Unless the store trusts the
 *       proxy in front of it, whatever a caller sent in them (and in Forwarded and X-Real-IP) is replaced.</li>
 *   <li>Host is kept as the browser sent it: the Wave server accepts a WebSocket only when Origin matches Host.</li>
 * </ul>
 */
public final class ForwardedHeaders {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");
    /** Answered by the router's own server (100-continue), not passed on. */
    private static final Set<String> REQUEST_ONLY_HERE = Set.of("expect");
    /** Made again by pekko-http for the instance's side of a WebSocket. */
    private static final Set<String> WEBSOCKET_HANDSHAKE = Set.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-accept", "sec-websocket-protocol");
    private static final Set<String> FORWARDING = Set.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-forwarded-prefix", "x-forwarded-port", "x-real-ip");

    /** What a trusted proxy in front says beyond -For, -Proto and -Host: passed on as it is. */
    private static final Set<String> KEPT_WHEN_TRUSTED = Set.of("forwarded", "x-forwarded-port", "x-real-ip");

    /** The development identity's headers, whatever their name: none of them is the app's business. */
    private static final String DEVELOPMENT_HEADERS = "x-dev-";

    private final Set<String> storeHeaders;
    private final List<String> storeHeaderPrefixes;
    private final List<String> cookieNames;
    private final List<String> cookiePrefixes;
    private final boolean trustForwarded;

    public ForwardedHeaders(RouterSettings settings) {
        this(settings.storeHeaders(), settings.storeCookies(), settings.trustForwardedHeaders());
    }

    ForwardedHeaders(List<String> storeHeaders, List<String> storeCookies, boolean trustForwarded) {
        Set<String> headers = new HashSet<>();
        List<String> prefixes = new ArrayList<>(List.of(DEVELOPMENT_HEADERS));
        for (String h : storeHeaders) {
            String name = h.toLowerCase(Locale.ROOT);
            if (name.endsWith("*")) {
                prefixes.add(name.substring(0, name.length() - 1));
            } else {
                headers.add(name);
            }
        }
        headers.add("authorization");
        this.storeHeaders = Set.copyOf(headers);
        this.storeHeaderPrefixes = List.copyOf(prefixes);
        this.cookieNames = storeCookies.stream().filter(c -> !c.endsWith("*")).toList();
        this.cookiePrefixes = storeCookies.stream().filter(c -> c.endsWith("*")).map(c -> c.substring(0, c.length() - 1)).toList();
        this.trustForwarded = trustForwarded;
    }

    /** What the browser asked for, as the router saw it. */
    public record Origin(Optional<String> peer, String scheme, String host, Optional<String> prefix) {
    }

    /** The headers sent on to the instance. */
    public List<HttpHeader> request(Iterable<HttpHeader> incoming, Origin origin, boolean webSocket) {
        Set<String> named = connectionTokens(incoming);
        List<HttpHeader> out = new ArrayList<>();
        List<String> cookies = new ArrayList<>();
        Optional<String> forwardedFor = Optional.empty();
        Optional<String> forwardedProto = Optional.empty();
        Optional<String> forwardedHost = Optional.empty();
        boolean hostSeen = false;
        for (HttpHeader header : incoming) {
            String name = header.lowercaseName();
            if (!header.renderInRequests() || HOP_BY_HOP.contains(name) || named.contains(name)
                    || REQUEST_ONLY_HERE.contains(name) || isStoreHeader(name) || (webSocket && WEBSOCKET_HANDSHAKE.contains(name))) {
                continue;
            }
            if (name.equals("cookie")) {
                cookies.add(header.value());
                continue;
            }
            if (FORWARDING.contains(name)) {
                if (trustForwarded) {
                    switch (name) {
                        case "x-forwarded-for" -> forwardedFor = Optional.of(forwardedFor.map(f -> f + ", ").orElse("")
                                + header.value());
                        case "x-forwarded-proto" -> forwardedProto = Optional.of(header.value());
                        case "x-forwarded-host" -> forwardedHost = Optional.of(header.value());
                        case "x-forwarded-prefix" -> {
                            // the router's own prefix is the one that matters to the app
                        }
                        default -> out.add(header);
                    }
                }
                continue;
            }
            if (name.equals("host")) {
                hostSeen = true;
            }
            out.add(header);
        }
        String keptCookies = keptCookies(cookies);
        if (!keptCookies.isEmpty()) {
            out.add(RawHeader.create("Cookie", keptCookies));
        }
        if (!hostSeen) {
            out.add(RawHeader.create("Host", origin.host()));
        }
        Optional<String> peer = origin.peer();
        String chain = forwardedFor.map(f -> peer.map(p -> f + ", " + p).orElse(f)).orElse(peer.orElse(""));
        if (!chain.isEmpty()) {
            out.add(RawHeader.create("X-Forwarded-For", chain));
        }
        out.add(RawHeader.create("X-Forwarded-Proto", forwardedProto.orElse(origin.scheme())));
        out.add(RawHeader.create("X-Forwarded-Host", forwardedHost.orElse(origin.host())));
        origin.prefix().ifPresent(p -> out.add(RawHeader.create("X-Forwarded-Prefix", p)));
        return out;
    }

    /** The headers of the instance's answer that go back to the browser. */
    public List<HttpHeader> response(Iterable<HttpHeader> incoming) {
        Set<String> named = connectionTokens(incoming);
        List<HttpHeader> out = new ArrayList<>();
        for (HttpHeader header : incoming) {
            String name = header.lowercaseName();
            if (!header.renderInResponses() || HOP_BY_HOP.contains(name) || named.contains(name)) {
                continue;
            }
            // pekko-http writes a Date and a Server of its own, and logs a warning for every response that brings
            // one it cannot model (an app's unusual Server header did, once per response).
            if (name.equals("date") || name.equals("server")) {
                continue;
            }
            if (name.equals("set-cookie") && isStoreCookie(cookieName(header.value()))) {
                continue;
            }
            out.add(header);
        }
        // What fits every app's origin, unless the app says otherwise: browsers do not guess a response's type from
        // its bytes (a file an app serves as text never runs as script).
        if (out.stream().noneMatch(h -> h.lowercaseName().equals("x-content-type-options"))) {
            out.add(RawHeader.create("X-Content-Type-Options", "nosniff"));
        }
        return out;
    }

    /**
     * The same rules for a data plane that relays bytes: the headers of a request to an instance, from the browser's.
     * Framing (Content-Length, chunked) is kept for the next hop, and so is a WebSocket handshake, which is relayed
     * end to end instead of made anew. One pass over the browser's headers (this runs for every request).
     */
    public io.netty.handler.codec.http.HttpHeaders forwardRequest(io.netty.handler.codec.http.HttpHeaders in,
            Origin origin, boolean webSocket) {
        Set<String> named = in.contains("connection") ? connectionTokens(in.getAll("connection")) : Set.of();
        io.netty.handler.codec.http.HttpHeaders out = new io.netty.handler.codec.http.DefaultHttpHeaders(false);
        List<String> cookies = null;
        String forwardedFor = null;
        String forwardedProto = null;
        String forwardedHost = null;
        boolean chunked = false;
        boolean hostSeen = false;
        for (java.util.Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("transfer-encoding")) {
                chunked |= header.getValue().toLowerCase(Locale.ROOT).contains("chunked");
                continue;
            }
            if (HOP_BY_HOP.contains(name) || named.contains(name) || REQUEST_ONLY_HERE.contains(name)
                    || isStoreHeader(name)) {
                continue;
            }
            if (name.equals("cookie")) {
                (cookies == null ? cookies = new ArrayList<>() : cookies).add(header.getValue());
                continue;
            }
            if (FORWARDING.contains(name)) {
                if (trustForwarded) {
                    switch (name) {
                        case "x-forwarded-for" -> forwardedFor = forwardedFor == null ? header.getValue()
                                : forwardedFor + ", " + header.getValue();
                        case "x-forwarded-proto" -> forwardedProto = header.getValue();
                        case "x-forwarded-host" -> forwardedHost = header.getValue();
                        case "x-forwarded-prefix" -> {
                            // the router's own prefix is the one that matters to the app
                        }
                        default -> out.add(header.getKey(), header.getValue());
                    }
                }
                continue;
            }
            hostSeen |= name.equals("host");
            out.add(header.getKey(), header.getValue());
        }
        if (chunked) {
            out.set("Transfer-Encoding", "chunked");
        }
        if (webSocket) {
            out.set("Connection", "Upgrade");
            out.set("Upgrade", "websocket");
        }
        if (cookies != null) {
            String keptCookies = keptCookies(cookies);
            if (!keptCookies.isEmpty()) {
                out.set("Cookie", keptCookies);
            }
        }
        if (!hostSeen) {
            out.set("Host", origin.host());
        }
        String peer = origin.peer().orElse("");
        String chain = forwardedFor == null ? peer : forwardedFor + (peer.isEmpty() ? "" : ", " + peer);
        if (!chain.isEmpty()) {
            out.set("X-Forwarded-For", chain);
        }
        out.set("X-Forwarded-Proto", forwardedProto != null ? forwardedProto : origin.scheme());
        out.set("X-Forwarded-Host", forwardedHost != null ? forwardedHost : origin.host());
        origin.prefix().ifPresent(p -> out.set("X-Forwarded-Prefix", p));
        return out;
    }

    /**
     * The same rules for a data plane that relays bytes: on {@code headers} in place, of an instance's answer. The app's
     * Date and Server pass as they are (nothing writes its own), and framing is left to the caller. Most answers need
     * nothing removed: then nothing is copied.
     */
    public void rewriteResponse(io.netty.handler.codec.http.HttpHeaders headers, boolean upgrade) {
        Set<String> named = !upgrade && headers.contains("connection") ? connectionTokens(headers.getAll("connection"))
                : Set.of();
        List<String> drop = null;
        boolean storeCookie = false;
        boolean nosniff = false;
        for (java.util.Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!upgrade && (HOP_BY_HOP.contains(name) || named.contains(name)) && !name.equals("transfer-encoding")) {
                (drop == null ? drop = new ArrayList<>() : drop).add(name);
            } else if (name.equals("set-cookie")) {
                storeCookie |= isStoreCookie(cookieName(header.getValue()));
            } else if (name.equals("x-content-type-options")) {
                nosniff = true;
            }
        }
        if (drop != null) {
            drop.forEach(headers::remove);
        }
        if (storeCookie) {
            List<String> setCookies = headers.getAll("set-cookie");
            headers.remove("set-cookie");
            setCookies.stream().filter(c -> !isStoreCookie(cookieName(c))).forEach(c -> headers.add("Set-Cookie", c));
        }
        if (!nosniff) {
            // What fits every app's origin, unless the app says otherwise (as for the pekko-http answers above).
            headers.set("X-Content-Type-Options", "nosniff");
        }
    }

    private boolean isStoreHeader(String lowercaseName) {
        return named(lowercaseName, storeHeaders, storeHeaderPrefixes);
    }

    public boolean isStoreCookie(String name) {
        return named(name, cookieNames, cookiePrefixes);
    }

    /** {@code name} is one of {@code names}, or starts with one of {@code prefixes}. */
    private static boolean named(String name, java.util.Collection<String> names, List<String> prefixes) {
        if (names.contains(name)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The Cookie header without the store's cookies; empty when none is left. */
    String keptCookies(List<String> cookieHeaders) {
        StringBuilder kept = new StringBuilder();
        for (String value : cookieHeaders) {
            for (String pair : value.split(";")) {
                String trimmed = pair.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!isStoreCookie(cookieName(trimmed))) {
                    if (kept.length() > 0) {
                        kept.append("; ");
                    }
                    kept.append(trimmed);
                }
            }
        }
        return kept.toString();
    }

    private static String cookieName(String pairOrSetCookie) {
        int eq = pairOrSetCookie.indexOf('=');
        return (eq < 0 ? pairOrSetCookie : pairOrSetCookie.substring(0, eq)).trim();
    }

    /** Headers that a Connection header names are hop-by-hop too. */
    private static Set<String> connectionTokens(Iterable<HttpHeader> headers) {
        List<String> values = new ArrayList<>();
        for (HttpHeader header : headers) {
            if (header.lowercaseName().equals("connection")) {
                values.add(header.value());
            }
        }
        return connectionTokens(values);
    }

    private static Set<String> connectionTokens(List<String> connectionValues) {
        Set<String> tokens = new HashSet<>();
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }
}
