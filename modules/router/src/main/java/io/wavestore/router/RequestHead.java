package io.wavestore.router;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request head of the store's read just enough to tell whether the data plane may take the request whole: HTTP/1.1,
 * one of the usual methods, one Host, a body of a declared length (or none), no upgrade, no {@code Expect}, no
 * transfer coding, no {@code Connection} other than keep-alive, nothing malformed or unusual. Any doubt gives null,
 * and the request goes to the store's routes on their loopback port, which parse it fully and refuse what they refuse.
 *
 * @param method        the request's method
 * @param target        its request target, as sent (origin form)
 * @param contentLength its body's declared length (0: none)
 * @param conditional   it has conditions or ranges ({@code If-*}, {@code Range}): only the routes may answer it
 */
record RequestHead(String method, String target, long contentLength, boolean conditional) {

    /** Methods whose requests pekko-http's server hands to the routes as they are (no HEAD-to-GET: transparent-head-requests is off). */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "DELETE", "POST", "PUT", "PATCH");
    /** A length as pekko reads one, without leading zeros or a sign; 18 digits cannot overflow a long. */
    private static final Pattern LENGTH = Pattern.compile("0|[1-9][0-9]{0,17}");

    /** The head's facts, or null. {@code head} is the head without its final blank line. */
    static RequestHead parse(String head) {
        int lineEnd = head.indexOf("\r\n");
        String requestLine = lineEnd < 0 ? head : head.substring(0, lineEnd);
        int space = requestLine.indexOf(' ');
        if (space < 0 || !requestLine.endsWith(" HTTP/1.1") || !METHODS.contains(requestLine.substring(0, space))) {
            return null;
        }
        String target = requestLine.substring(space + 1, requestLine.length() - " HTTP/1.1".length());
        if (!target.startsWith("/") || !plain(target) || target.indexOf(' ') >= 0) {
            return null;
        }
        int hosts = 0;
        String length = null;
        boolean conditional = false;
        for (String line : lineEnd < 0 ? new String[0] : head.substring(lineEnd + 2).split("\r\n", -1)) {
            int colon = line.indexOf(':');
            if (colon <= 0 || !plain(line) || !token(line, colon)) {
                return null;
            }
            String value = line.substring(colon + 1).trim();
            switch (line.substring(0, colon).toLowerCase(Locale.ROOT)) {
                case "host" -> hosts++;
                case "connection" -> {
                    if (!value.equalsIgnoreCase("keep-alive")) {
                        return null; // a close, or hop-by-hop names: the store's routes handle those
                    }
                }
                case "content-length" -> {
                    if (length != null || !LENGTH.matcher(value).matches()) {
                        return null; // two lengths, or one pekko's parser would refuse
                    }
                    length = value;
                }
                case "transfer-encoding", "expect", "upgrade" -> {
                    return null; // a body of unknown length, a 100-continue, a WebSocket: the relay's
                }
                case "range", "if-range", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since" ->
                        conditional = true;
                default -> {
                    // any other header is the routes' to read
                }
            }
        }
        return hosts == 1 ? new RequestHead(requestLine.substring(0, space), target,
                length == null ? 0 : Long.parseLong(length), conditional) : null;
    }

    /** Visible ASCII, spaces and tabs only: no bare line feed, no control byte, nothing a parser could read two ways. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** A header name of token characters only (no space before the colon, no folding). */
    private static boolean token(String line, int colon) {
        for (int i = 0; i < colon; i++) {
            char c = line.charAt(i);
            if (!(Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }
}
