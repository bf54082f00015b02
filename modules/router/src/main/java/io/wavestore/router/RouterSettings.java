package io.wavestore.router;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wavestore.scheduler.ConfigLists;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code wavestore.router} block of the configuration, typed. Defaults live in this module's reference.conf.
 *
 * @param appsDomain  the apps' host names, lower case: BASE_URL apps are served on this host itself, DOMAIN apps each
 *                    on {@code <name>.<apps-domain>}; never the store's host, so no app shares the store's origin
 * @param storeUrl    the store as browsers see it, without a trailing slash
 */
public record RouterSettings(
        String appsDomain,
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
        Duration aliasRefreshInterval,
        int maxOpenConnections) {

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
        if (!domain.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
            throw new ConfigException.BadValue("wavestore.router.apps-domain", "apps are served on host names of"
                    + " their own, so that no app shares the store's origin: set a host name such as apps.example.com"
                    + " (with DNS for it and *.apps.example.com), without scheme or port, not '" + domain
                    + "' (env WAVESTORE_ROUTER_APPS_DOMAIN)");
        }
        String store = c.getString("store-url").trim();
        if (store.isEmpty() && root.hasPath("wavestore.scheduler.public-url")) {
            store = root.getString("wavestore.scheduler.public-url").trim();
        }
        URI storeUrl = parseStoreUrl(store);
        String storeHost = storeUrl.getHost().toLowerCase(Locale.ROOT);
        if (storeHost.equals(domain) || storeHost.endsWith("." + domain)) {
            throw new ConfigException.BadValue("wavestore.router.apps-domain", "'" + domain + "' would serve apps on the"
                    + " store's own host " + storeHost + " (or put the store under the apps' host names); apps must"
                    + " never share the store's origin. Choose a host name apart from the store's"
                    + " (env WAVESTORE_ROUTER_APPS_DOMAIN)");
        }
        int maxConnections = c.getInt("max-connections-per-instance");
        if (maxConnections < 1) {
            throw new ConfigException.BadValue("wavestore.router.max-connections-per-instance", "must be at least 1");
        }
        String login = c.getString("login-url").trim();
        List<String> storeCookies = new java.util.ArrayList<>(ConfigLists.stringList(c, "store-cookies"));
        // Whatever the session cookie is called (and its login companion, <name>_login), it stays with the store.
        if (root.hasPath("wavestore.identity.oidc.cookie-name")) {
            String session = root.getString("wavestore.identity.oidc.cookie-name").trim();
            if (!session.isEmpty()) {
                storeCookies.add(session + "*");
            }
        }
        return new RouterSettings(
                domain,
                storeUrl,
                c.getDuration("connect-timeout"),
                c.getDuration("idle-timeout"),
                c.getDuration("websocket-keep-alive"),
                c.getDuration("resolve-timeout"),
                c.getBytes("max-request-bytes"),
                maxConnections,
                c.getBoolean("trust-forwarded-headers"),
                storeCookies,
                ConfigLists.stringList(c, "store-headers"),
                login.isEmpty() ? Optional.empty() : Optional.of(login),
                c.getDuration("cache.ttl"),
                c.getInt("cache.max-entries"),
                c.getDuration("caller-cache-ttl"),
                c.getDuration("alias-refresh-interval"),
                c.getInt("max-open-connections"));
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

    /** The origin of an app served with DOMAIN routing: scheme and port of the store, the name under the apps domain. */
    public String domainOrigin(String name) {
        return origin(name + "." + appsDomain);
    }

    /** The origin BASE_URL apps are served on (under {@code /instance/<name>/}): the apps domain itself. */
    public String appsOrigin() {
        return origin(appsDomain);
    }

    /**
     * Where browsers open an instance: under the apps origin, which sends a DOMAIN app's browser on to its own host
     * name, and any name to the instance's primary alias.
     */
    public String instanceUrl(String name) {
        return appsOrigin() + "/instance/" + name + "/";
    }

    /**
     * The app origin a URL is on, if it is one of this store's: the apps domain or one name under it, with the store's
     * scheme and port. Anything else (another site, the store itself, a name with dots) is empty, so that nothing
     * sends a browser, or a grant, anywhere but to an app of this store.
     */
    public Optional<String> appOriginOf(URI url) {
        if (url.getScheme() == null || url.getHost() == null || url.getRawUserInfo() != null
                || !url.getScheme().equalsIgnoreCase(storeUrl.getScheme()) || effectivePort(url) != effectivePort(storeUrl)) {
            return Optional.empty();
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        boolean app = host.equals(appsDomain) || (host.endsWith("." + appsDomain)
                && host.indexOf('.') == host.length() - appsDomain.length() - 1);
        return app ? Optional.of(origin(host)) : Optional.empty();
    }

    private static int effectivePort(URI url) {
        return url.getPort() >= 0 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The origin a host name of an app is reached at, with the store's scheme and port. */
    public String origin(String host) {
        int port = storeUrl.getPort();
        return storeUrl.getScheme() + "://" + host.toLowerCase(Locale.ROOT) + (port < 0 ? "" : ":" + port);
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
}
