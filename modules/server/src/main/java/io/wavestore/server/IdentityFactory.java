package io.wavestore.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.DevelopmentIdentity;
import io.wavestore.identity.IdentitySettings;
import io.wavestore.identity.oidc.ClaimMapping;
import io.wavestore.identity.oidc.OidcIdentity;
import io.wavestore.identity.oidc.OidcProvider;
import io.wavestore.identity.oidc.OidcSettings;
import io.wavestore.identity.token.ApiTokenIdentity;
import io.wavestore.identity.token.ApiTokens;
import io.wavestore.scheduler.ConfigLists;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the store's identity from configuration, refusing unsafe combinations. */
final class IdentityFactory {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityFactory.class);
    private static final String OIDC = "wavestore.identity.oidc.";

    private IdentityFactory() {
    }

    /**
     * The store's identity: who callers are ({@code resolver}: OIDC or the development identity, both with
     * personal API tokens), the token store, and the OIDC sign-in when that is the mode.
     */
    record Identity(CallerResolver resolver, ApiTokens tokens, Optional<OidcIdentity> oidc, AppPasses passes) {
    }

    /** Checks the identity settings before anything starts: a wrong mode or an unsafe address fails fast. */
    static void check(ServerSettings settings) {
        IdentitySettings identity = settings.identity();
        switch (identity.mode()) {
            case "development" -> {
                if (!isLoopback(settings.httpHost()) && !identity.allowNonLoopback()) {
                    throw new IllegalArgumentException("the development identity lets anyone act as anyone, so it only"
                            + " listens on a loopback address; wavestore.http.host is '" + settings.httpHost() + "'. Set"
                            + " WAVESTORE_IDENTITY_MODE=oidc (with WAVESTORE_OIDC_ISSUER and WAVESTORE_OIDC_CLIENT_ID),"
                            + " or WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK=true only on a machine nobody else can reach.");
                }
                DevelopmentIdentity.parseRole(identity.developmentRole());
            }
            case "oidc" -> oidcSettings(identity.oidc());
            default -> throw new IllegalArgumentException("wavestore.identity.mode (WAVESTORE_IDENTITY_MODE) is '"
                    + identity.mode() + "'; use 'oidc' or 'development'");
        }
    }

    /**
     * Builds the identity on the store's database. In OIDC mode this reads the provider's discovery document, and
     * fails the start when the provider cannot be reached.
     */
    static Identity create(ServerSettings settings, Jdbi jdbi) {
        check(settings);
        IdentitySettings identity = settings.identity();
        Clock clock = Clock.systemUTC();
        if (identity.mode().equals("oidc")) {
            OidcSettings oidc = oidcSettings(identity.oidc());
            ApiTokens tokens = new ApiTokens(jdbi, clock, false);
            OidcIdentity resolver = new OidcIdentity(oidc, OidcProvider.discover(oidc), jdbi, tokens, clock);
            LOG.info("sign-in with OpenID Connect: issuer {}, client '{}', bearer tokens for audience '{}'",
                    oidc.issuer(), oidc.clientId(), oidc.expectedAudience());
            return new Identity(new ApiTokenIdentity(resolver, tokens), tokens, Optional.of(resolver),
                    AppPasses.sealedWith(passSecret(oidc), oidc.cookieName(), oidc.sessionTtl(), clock));
        }
        DevelopmentIdentity resolver = new DevelopmentIdentity(identity.developmentUser(),
                DevelopmentIdentity.parseRole(identity.developmentRole()));
        LOG.warn("""

                ************************************************************************************
                *  DEVELOPMENT IDENTITY: NOT SAFE FOR REAL USE.                                    *
                *  Every request acts as '{}' ({}) unless it names another user in X-Dev-User.
                *  There is no sign-in: anyone who reaches this port is whoever they claim to be.  *
                *  Sign in for real with WAVESTORE_IDENTITY_MODE=oidc (see the README).            *
                ************************************************************************************""",
                identity.developmentUser(), identity.developmentRole());
        ApiTokens tokens = new ApiTokens(jdbi, clock, true);
        return new Identity(new ApiTokenIdentity(resolver, tokens), tokens, Optional.empty(), AppPasses.none());
    }

    /**
     * The secret app passes are sealed with: the same on every replica, so that a pass minted by one is honoured by all.
     * Without a secret key or a client secret there is nothing shared; a key of this replica's own still works on one
     * replica, and the log says what to set for more.
     */
    private static String passSecret(OidcSettings oidc) {
        if (!oidc.secretKey().isEmpty()) {
            return oidc.secretKey();
        }
        if (!oidc.clientSecret().isEmpty()) {
            return oidc.clientSecret();
        }
        LOG.warn("neither wavestore.identity.oidc.secret-key nor a client secret is set: app passes are sealed with a"
                + " key of this replica alone, so with several replicas a visitor may have to pass through the store"
                + " again; set WAVESTORE_OIDC_SECRET_KEY to the same value on every replica");
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getEncoder().encodeToString(random);
    }

    /** The {@code wavestore.identity.oidc} block, checked: every error names the setting and its variable. */
    static OidcSettings oidcSettings(Config c) {
        URI issuer = url(c, "issuer", "WAVESTORE_OIDC_ISSUER", true).orElseThrow();
        String clientId = c.getString("client-id").strip();
        if (clientId.isEmpty()) {
            throw new ConfigException.BadValue(OIDC + "client-id", "is required in oidc mode (env WAVESTORE_OIDC_CLIENT_ID)");
        }
        refuseCookieDomain(c);
        String sameSite = c.getString("cookie-same-site").strip();
        if (!sameSite.equalsIgnoreCase("Lax") && !sameSite.equalsIgnoreCase("Strict")) {
            throw new ConfigException.BadValue(OIDC + "cookie-same-site", "must be Lax or Strict, not '" + sameSite
                    + "' (env WAVESTORE_OIDC_COOKIE_SAME_SITE)");
        }
        String cookieName = c.getString("cookie-name").strip();
        if (!cookieName.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException.BadValue(OIDC + "cookie-name", "must be 1-64 letters, digits or _.- characters"
                    + " (env WAVESTORE_OIDC_COOKIE_NAME)");
        }
        if (c.getDuration("session-ttl").isNegative() || c.getDuration("session-ttl").isZero()) {
            throw new ConfigException.BadValue(OIDC + "session-ttl", "must be positive (env WAVESTORE_OIDC_SESSION_TTL)");
        }
        ClaimMapping claims = new ClaimMapping(c.getString("roles-claim").strip(), c.getString("groups-claim").strip(),
                new HashSet<>(ConfigLists.stringList(c, "admin-roles")),
                new HashSet<>(ConfigLists.stringList(c, "visitor-roles")));
        return new OidcSettings(issuer, clientId, c.getString("client-secret"),
                url(c, "redirect-uri", "WAVESTORE_OIDC_REDIRECT_URI", false),
                url(c, "public-url", "WAVESTORE_OIDC_PUBLIC_URL", false),
                ConfigLists.stringList(c, "scopes"), c.getString("audience").strip(), claims,
                c.getDuration("session-ttl"), cookieName, cookieSecure(c), capitalized(sameSite),
                c.getString("secret-key"), c.getDuration("http-timeout"));
    }

    /**
     * The session cookie once could be given a Domain so that apps' host names received it. Apps never get the store's
     * session cookie now (they have origins and passes of their own), so a configured domain is refused rather than
     * ignored: whoever set it relies on something that no longer happens.
     */
    static void refuseCookieDomain(Config c) {
        if (!c.getString("cookie-domain").isBlank()) {
            throw new ConfigException.BadValue(OIDC + "cookie-domain", "is no longer supported: the session cookie stays"
                    + " on the store's host, and apps learn who their visitor is through a pass of their own origin"
                    + " (see wavestore.router.apps-domain). Remove WAVESTORE_OIDC_COOKIE_DOMAIN");
        }
    }

    private static Optional<Boolean> cookieSecure(Config c) {
        String value = c.getString("cookie-secure").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "auto" -> Optional.empty();
            case "true", "yes", "on" -> Optional.of(true);
            case "false", "no", "off" -> Optional.of(false);
            default -> throw new ConfigException.BadValue(OIDC + "cookie-secure", "must be auto, true or false, not '"
                    + value + "' (env WAVESTORE_OIDC_COOKIE_SECURE)");
        };
    }

    private static Optional<URI> url(Config c, String key, String env, boolean required) {
        String value = c.getString(key).strip();
        if (value.isEmpty()) {
            if (required) {
                throw new ConfigException.BadValue(OIDC + key, "is required in oidc mode (env " + env + ")");
            }
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new ConfigException.BadValue(OIDC + key, "must be an http(s) URL, not '" + value + "' (env " + env + ")");
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException.BadValue(OIDC + key, "is not a URL: " + e.getMessage() + " (env " + env + ")");
        }
    }

    private static String capitalized(String sameSite) {
        return sameSite.substring(0, 1).toUpperCase(Locale.ROOT) + sameSite.substring(1).toLowerCase(Locale.ROOT);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
