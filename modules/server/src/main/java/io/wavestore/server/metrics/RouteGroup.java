package io.wavestore.server.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * Which part of the store a request went to, as the {@code group} label of the HTTP metrics: a few fixed values, so
 * that paths (which carry ids) never become labels.
 */
public enum RouteGroup {
    /** The JSON API under /api/. */
    API,
    /** Sign-in and sign-out under /auth/. */
    AUTH,
    /** An instance's UI, at /instance/... or on its own host name under the apps domain. */
    INSTANCE,
    /** Everything else: the web UI and its files. */
    WEB;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param host       the request's host name, without port
     * @param appsDomain the router's apps domain, if the store routes to instances
     */
    public static RouteGroup of(String host, String path, Optional<String> appsDomain) {
        String h = host.toLowerCase(Locale.ROOT);
        if (appsDomain.isPresent() && (h.equals(appsDomain.get()) || h.endsWith("." + appsDomain.get()))) {
            return INSTANCE;
        }
        if (path.equals("/instance") || path.startsWith("/instance/")) {
            return INSTANCE;
        }
        if (path.equals("/api") || path.startsWith("/api/")) {
            return API;
        }
        if (path.equals("/auth") || path.startsWith("/auth/")) {
            return AUTH;
        }
        return WEB;
    }
}
