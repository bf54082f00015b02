package io.wavestore.server;

import com.typesafe.config.Config;
import io.wavestore.router.RouterSettings;
import io.wavestore.scheduler.AppOidcClient;
import java.util.Optional;

/**
 * {@code wavestore.identity.app-oidc}: the OpenID Connect client that apps with {@code EnableOIDC = true} sign their
 * visitors in with. The client secret is kept here and handed only to the local runtime; {@link #toString()} never
 * shows it.
 */
record AppOidcSettings(String clientId, String clientSecret, String secretName, String secretKey, String providerUrl,
                       String endSessionUrl, String postLogoutRedirectUrl, String scopes, boolean skipLogin) {

    static final String PATH = "wavestore.identity.app-oidc";

    static AppOidcSettings from(Config root) {
        Config c = root.getConfig(PATH);
        String provider = c.getString("provider-url").trim();
        if (provider.isEmpty() && root.hasPath("wavestore.identity.oidc.issuer")) {
            provider = root.getString("wavestore.identity.oidc.issuer").trim();
        }
        return new AppOidcSettings(c.getString("client-id").trim(), c.getString("client-secret"),
                c.getString("client-secret-ref.name").trim(), c.getString("client-secret-ref.key").trim(), provider,
                c.getString("end-session-url").trim(), c.getString("post-logout-redirect-url").trim(),
                c.getString("scopes").trim(), c.getBoolean("skip-login"));
    }

    /** The client, with where each instance's callback is; empty when no client id is configured. */
    Optional<AppOidcClient> client(RouterSettings router) {
        if (clientId.isEmpty()) {
            return Optional.empty();
        }
        if (providerUrl.isEmpty()) {
            throw new com.typesafe.config.ConfigException.BadValue(PATH + ".provider-url", "an issuer URL is needed"
                    + " for the apps' client (WAVESTORE_APP_OIDC_PROVIDER_URL), and the store has none of its own");
        }
        return Optional.of(new AppOidcClient(clientId, providerUrl, endSessionUrl, postLogoutRedirectUrl, scopes,
                skipLogin, secretName, secretKey, router.appsOrigin(), router::domainOrigin));
    }

    @Override
    public String toString() {
        return "AppOidcSettings[clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "" : "***")
                + ", secretName=" + secretName + ", providerUrl=" + providerUrl + "]";
    }
}
