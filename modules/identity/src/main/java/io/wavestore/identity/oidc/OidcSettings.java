package io.wavestore.identity.oidc;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code wavestore.identity.oidc} settings, typed (the server reads them from its configuration).
 *
 * @param issuer        the provider's issuer URL; its discovery document is at {@code /.well-known/openid-configuration}
 * @param clientId      this store's client id at the provider
 * @param clientSecret  its secret; empty for a public client (PKCE alone)
 * @param redirectUri   the callback URL registered at the provider; empty: the public URL's, or the request's,
 *                      {@code /auth/callback}
 * @param publicUrl     the URL people reach the store at, if configured
 * @param scopes        requested scopes; {@code openid} is always added
 * @param audience      the audience bearer access tokens must name; empty means the client id
 * @param claims        how token claims become roles and groups
 * @param sessionTtl    how long a browser session lasts from sign-in
 * @param cookieName    the session cookie's name
 * @param cookieSecure  {@code Optional.of(true|false)} forces the cookie's Secure attribute; empty decides per
 *                      request (TLS, {@code X-Forwarded-Proto: https} or an https public URL)
 * @param cookieSameSite {@code Lax} or {@code Strict}
 * @param secretKey     the key that refresh tokens are encrypted with; empty: derived from the client secret
 * @param httpTimeout   connect and read timeout of calls to the provider
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, Optional<URI> redirectUri,
        Optional<URI> publicUrl, List<String> scopes, String audience, ClaimMapping claims, Duration sessionTtl,
        String cookieName, Optional<Boolean> cookieSecure, String cookieSameSite, String secretKey,
        Duration httpTimeout) {

    public OidcSettings {
        Objects.requireNonNull(issuer, "issuer");
        clientSecret = clientSecret == null ? "" : clientSecret;
        secretKey = secretKey == null ? "" : secretKey;
        scopes = List.copyOf(scopes);
    }

    /** The audience bearer tokens must carry. */
    public String expectedAudience() {
        return audience == null || audience.isBlank() ? clientId : audience;
    }

    /** The key refresh tokens are sealed with, if any: the secret key, else the client secret. */
    public Optional<TokenCipher> tokenCipher() {
        if (!secretKey.isEmpty()) {
            return Optional.of(TokenCipher.fromSecret(secretKey));
        }
        return clientSecret.isEmpty() ? Optional.empty() : Optional.of(TokenCipher.fromSecret(clientSecret));
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", scopes=" + scopes + ", audience="
                + expectedAudience() + "]";
    }
}
