package io.wavestore.router;

import java.util.Locale;

/**
 * Reads a request head just enough to tell whether it is a plain {@code GET}: HTTP/1.1, no body, no conditions or
 * ranges, no upgrade, one Host, nothing malformed or unusual. Such a request is read whole once its head is: the data
 * plane may answer it from the store's files ({@link StoreFileAnswers}) or hand it to the store's routes in-process
 * ({@link InProcessRequests}). Any doubt says no, and the request goes to the store's routes on their loopback port,
 * which parse it fully and refuse what they refuse.
 */
final class PlainGet {

    private PlainGet() {
    }

    /** The path of a plain GET, or null. {@code head} is the head without its final blank line. */
    static String path(String head) {
        int lineEnd = head.indexOf("\r\n");
        if (lineEnd < 0) {
            return null;
        }
        String requestLine = head.substring(0, lineEnd);
        if (!requestLine.startsWith("GET /") || !requestLine.endsWith(" HTTP/1.1")) {
            return null;
        }
        String path = requestLine.substring(4, requestLine.length() - " HTTP/1.1".length());
        if (!plain(path) || path.indexOf(' ') >= 0) {
            return null;
        }
        int hosts = 0;
        for (String line : head.substring(lineEnd + 2).split("\r\n", -1)) {
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
                    if (!value.equals("0")) {
                        return null; // an empty body is no body (Java's HttpClient 17 says so on every GET)
                    }
                }
                case "transfer-encoding", "expect", "upgrade", "range", "if-range", "if-match",
                        "if-none-match", "if-modified-since", "if-unmodified-since" -> {
                    return null;
                }
                default -> {
                    // any other header leaves the answer as it is (the store's routes for these files read none)
                }
            }
        }
        return hosts == 1 ? path : null;
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
