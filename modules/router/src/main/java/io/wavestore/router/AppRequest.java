package io.wavestore.router;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.RequestCredentials;
import java.util.Optional;

/**
 * A request to an instance as the routing decisions see it, whatever server received it (pekko-http or the Netty
 * data plane).
 *
 * @param mode        how it named its instance: {@code /instance/<name>/...} (BASE_URL) or a host name (DOMAIN)
 * @param name        an instance id or an alias
 * @param rest        the path after the name (BASE_URL) or the whole path (DOMAIN), starting with a slash
 * @param method      the HTTP method
 * @param rawQuery    the query as sent, without the question mark
 * @param webSocket   a WebSocket upgrade
 * @param host        the Host header as sent
 * @param credentials every header (lower-case names) and cookie
 * @param origin      the app origin it was sent to, {@link RouterSettings#origin(String)} of its host
 */
public record AppRequest(RoutingMode mode, String name, String rest, String method, Optional<String> rawQuery,
        boolean webSocket, String host, RequestCredentials credentials, String origin) {

    /** The path and query the browser asked for on the app's origin. */
    public String appPath() {
        return (mode == RoutingMode.BASE_URL ? "/instance/" + name + rest : rest) + query();
    }

    /** {@code ?query}, or nothing. */
    public String query() {
        return rawQuery.map(q -> "?" + q).orElse("");
    }

    /**
     * A browser opening a page, as opposed to a page fetching its parts: only those are redirected to the primary
     * alias, so that the Wave page's own requests (which use the id's base URL) and its WebSocket stay where they are.
     */
    public boolean navigation() {
        if (!(method.equals("GET") || method.equals("HEAD")) || webSocket) {
            return false;
        }
        Optional<String> fetchMode = credentials.header("sec-fetch-mode");
        if (fetchMode.isPresent()) {
            return fetchMode.get().equalsIgnoreCase("navigate");
        }
        return credentials.header("accept").map(a -> a.contains("text/html")).orElse(false);
    }
}
