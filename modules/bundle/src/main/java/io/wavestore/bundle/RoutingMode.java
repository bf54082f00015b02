package io.wavestore.bundle;

/** How the router exposes an instance, as {@code Runtime.RoutingMode} in app.toml. */
public enum RoutingMode {
    /** Each instance gets its own host name, e.g. {@code <id>.apps.example.com}. */
    DOMAIN,
    /** Instances live under a path of the store's host, e.g. {@code /instance/<id>/}. The default. */
    BASE_URL
}
