package io.wavestore.scheduler;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.scheduler.runtime.WaveOidc;
import java.util.function.UnaryOperator;

/**
 * The store's OpenID Connect client for apps with {@code EnableOIDC = true} (one client at the provider for every
 * such app, apart from the store's own), and where each instance's callback is: on the instance's own origin, as
 * waved's {@code _auth/callback} under its base URL. The provider must accept those redirect URIs (a wildcard such
 * as {@code https://apps.example.com/*} and {@code https://*.apps.example.com/*}, or each one).
 *
 * @param appsOrigin   the origin BASE_URL apps are served on ({@code /instance/<id>/} under it)
 * @param domainOrigin the origin of a DOMAIN app by its instance id ({@code <id>.<apps-domain>})
 * @param secretName   Kubernetes: the Secret with the client secret (the value itself never goes into a spec)
 */
public record AppOidcClient(String clientId, String providerUrl, String endSessionUrl, String postLogoutRedirectUrl,
                            String scopes, boolean skipLogin, String secretName, String secretKey, String appsOrigin,
                            UnaryOperator<String> domainOrigin) {

    /** Waved's settings for one instance served under {@code baseUrl}. */
    WaveOidc forInstance(String instanceId, RoutingMode mode, String baseUrl) {
        String origin = mode == RoutingMode.DOMAIN ? domainOrigin.apply(instanceId) : appsOrigin;
        return new WaveOidc(clientId, providerUrl, origin + baseUrl + "_auth/callback", endSessionUrl,
                postLogoutRedirectUrl, scopes, skipLogin, secretName, secretKey);
    }
}
