package io.wavestore.router;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code wavestore.router} block of the configuration, typed. Defaults live in this module's reference.conf.
 *
 * @param appsDomain  host name suffix of DOMAIN-routed apps, lower case; empty when DOMAIN routing is off
 * @param storeUrl    the store as browsers see it, without a trailing slash
 */
public record RouterSettings(
        Optional<String> appsDomain,
        URI storeUrl,
        Duration connectTimeout,
        Duration idleTimeout,
        Duration websocketKeepAlive,
        Duration resolveTimeout,
        long maxRequestBytes,
        int maxConnectionsPerInstance,
        boolean trustForwardedHeaders,
        List<String> storeCookies,
        List<String> storeHeaders,
        Optional<String> loginUrl,
        Duration cacheTtl,
        int cacheMaxEntries,
        Duration callerCacheTtl,
        Duration aliasRefreshInterval) {

    public static final String BLOCKING_DISPATCHER = "wavestore.router.blocking-dispatcher";

    public RouterSettings {
        storeCookies = List.copyOf(storeCookies);
        storeHeaders = storeHeaders.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** @param root the whole configuration (the store URL may come from {@code wavestore.scheduler.public-url}) */
    public static RouterSettings from(Config root) {
        Config c = root.getConfig("wavestore.router");
        String domain = c.getString("apps-domain").trim().toLowerCase(Locale.ROOT);
        if (domain.startsWith(".")) {
            domain = domain.substring(1);
        }
        if (domain.contains("/") || domain.contains(":")) {
            throw new ConfigException.BadValue("wavestore.router.apps-domain", "a host name suffix such as"
                    + " apps.example.com, without scheme or port, not '" + domain + "' (env WAVESTORE_ROUTER_APPS_DOMAIN)");
        }
        String store = c.getString("store-url").trim();
        if (store.isEmpty() && root.hasPath("wavestore.scheduler.public-url")) {
            store = root.getString("wavestore.scheduler.public-url").trim();
        }
        URI storeUrl = parseStoreUrl(store);
        int maxConnections = c.getInt("max-connections-per-instance");
        if (maxConnections < 1) {
            throw new ConfigException.BadValue("wavestore.router.max-connections-per-instance", "must be at least 1");
        }
        String login = c.getString("login-url").trim();
        List<String> storeCookies = new java.util.ArrayList<>(stringList(c, "store-cookies"));
        // Whatever the session cookie is called (and its login companion, <name>_login), it stays with the store.
        if (root.hasPath("wavestore.identity.oidc.cookie-name")) {
            String session = root.getString("wavestore.identity.oidc.cookie-name").trim();
            if (!session.isEmpty()) {
                storeCookies.add(session + "*");
            }
        }
        return new RouterSettings(
                domain.isEmpty() ? Optional.empty() : Optional.of(domain),
                storeUrl,
                c.getDuration("connect-timeout"),
                c.getDuration("idle-timeout"),
                c.getDuration("websocket-keep-alive"),
                c.getDuration("resolve-timeout"),
                c.getBytes("max-request-bytes"),
                maxConnections,
                c.getBoolean("trust-forwarded-headers"),
                storeCookies,
                stringList(c, "store-headers"),
                login.isEmpty() ? Optional.empty() : Optional.of(login),
                c.getDuration("cache.ttl"),
                c.getInt("cache.max-entries"),
                c.getDuration("caller-cache-ttl"),
                c.getDuration("alias-refresh-interval"));
    }

    /**
     * Server settings the router needs from pekko-http, applied to the configuration the store starts with: the peer's
     * address on every request (for X-Forwarded-For), Pings on idle WebSockets to browsers (so that a quiet app is
     * not cut by the server's idle-timeout), and room for many open WebSockets. A value set for pekko is kept.
     */
    public static Config serverDefaults(Config config) {
        String keepAlive = "pekko.http.server.websocket.periodic-keep-alive-max-idle";
        String configured = config.hasPath(keepAlive) ? config.getString(keepAlive) : "infinite";
        Map<String, Object> overrides = new java.util.HashMap<>();
        overrides.put("pekko.http.server.remote-address-attribute", "on");
        String maxConnections = "pekko.http.server.max-connections";
        if (config.hasPath("wavestore.router.max-open-connections")
                && (!config.hasPath(maxConnections) || config.getInt(maxConnections) == 1024)) {
            overrides.put(maxConnections, config.getInt("wavestore.router.max-open-connections"));
        }
        if (configured.equals("infinite") && config.hasPath("wavestore.router.websocket-keep-alive")) {
            overrides.put(keepAlive, config.getDuration("wavestore.router.websocket-keep-alive").toMillis() + "ms");
            overrides.put("pekko.http.server.websocket.periodic-keep-alive-mode", "ping");
        }
        return ConfigFactory.parseMap(overrides).withFallback(config);
    }

    /** The address of an app served with DOMAIN routing: scheme and port of the store, the name under the apps domain. */
    public String domainOrigin(String name) {
        int port = storeUrl.getPort();
        return storeUrl.getScheme() + "://" + name + "." + appsDomain.orElseThrow() + (port < 0 ? "" : ":" + port);
    }

    public String storeOrigin() {
        return storeUrl.getScheme() + "://" + storeUrl.getRawAuthority();
    }

    private static URI parseStoreUrl(String text) {
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        try {
            URI uri = URI.create(trimmed);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue("wavestore.router.store-url", "an http(s) URL such as"
                    + " https://wavestore.example.com, not '" + text + "' (env WAVESTORE_ROUTER_STORE_URL)");
        }
    }

    /** A list setting that an environment variable may also give as one comma-separated string. */
    private static List<String> stringList(Config config, String path) {
        if (config.getValue(path).valueType() == ConfigValueType.STRING) {
            return Arrays.stream(config.getString(path).split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        return config.getStringList(path);
    }
}
