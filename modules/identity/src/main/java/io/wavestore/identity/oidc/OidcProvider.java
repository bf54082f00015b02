package io.wavestore.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.IdentityProviderUnavailableException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One OpenID Connect provider, as its discovery document describes it: where to send browsers, how to exchange
 * codes and refresh tokens, and its signing keys. The keys (JWKS) are fetched when first needed, cached for five
 * minutes, and fetched again at once when a token names a key id the cache does not know (the provider rotated
 * its keys), at most twice every 30 seconds so that forged key ids cannot make the store hammer the provider.
 */
public final class OidcProvider {

    /** Asymmetric signatures only: never {@code none}, never HMAC (whose key would be the client secret). */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.copyOf(JWSAlgorithm.Family.SIGNATURE);
    private static final int MAX_JWKS_BYTES = 512 * 1024;
    private static final Duration DEFAULT_ACCESS_LIFETIME = Duration.ofMinutes(5);

    private final OidcSettings settings;
    private final OIDCProviderMetadata metadata;
    private final Issuer issuer;
    private final ClientID clientId;
    private final JWSVerificationKeySelector<SecurityContext> keySelector;
    private final DefaultJWTProcessor<SecurityContext> accessTokens;
    private final IDTokenValidator idTokens;

    private OidcProvider(OidcSettings settings, OIDCProviderMetadata metadata) throws MalformedURLException {
        this.settings = settings;
        this.metadata = metadata;
        this.issuer = metadata.getIssuer();
        this.clientId = new ClientID(settings.clientId());
        int timeout = (int) settings.httpTimeout().toMillis();
        JWKSource<SecurityContext> keys = JWKSourceBuilder
                .<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                        new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES))
                .cache(Duration.ofMinutes(5).toMillis(), settings.httpTimeout().toMillis())
                .rateLimited(Duration.ofSeconds(30).toMillis())
                .build();
        this.keySelector = new JWSVerificationKeySelector<>(ALGORITHMS, keys);

        this.accessTokens = new DefaultJWTProcessor<>();
        // Access tokens are plain JWTs for most providers, "at+jwt" for those following RFC 9068.
        accessTokens.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        accessTokens.setJWSKeySelector(keySelector);
        accessTokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                // nimbus asks these sets whether they contain null, which Set.of answers with an exception
                new java.util.HashSet<>(Set.of(settings.expectedAudience())),
                new JWTClaimsSet.Builder().issuer(issuer.getValue()).build(), new java.util.HashSet<>(Set.of("sub", "exp")),
                null));

        this.idTokens = new IDTokenValidator(issuer, clientId, keySelector, null);
    }

    /**
     * Reads the provider's discovery document.
     *
     * @throws IdentityProviderUnavailableException when it cannot be read, or names another issuer
     */
    public static OidcProvider discover(OidcSettings settings) {
        int timeout = (int) settings.httpTimeout().toMillis();
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(new Issuer(settings.issuer()), timeout, timeout);
            if (metadata.getJWKSetURI() == null || metadata.getTokenEndpointURI() == null
                    || metadata.getAuthorizationEndpointURI() == null) {
                throw new GeneralException("the discovery document lacks jwks_uri, token_endpoint or authorization_endpoint");
            }
        } catch (GeneralException | IOException e) {
            throw new IdentityProviderUnavailableException("cannot read the OIDC discovery document of " + settings.issuer()
                    + "/.well-known/openid-configuration: " + e.getMessage(), e);
        }
        try {
            return new OidcProvider(settings, metadata);
        } catch (MalformedURLException e) {
            throw new IdentityProviderUnavailableException("the provider's jwks_uri is not a URL: " + e.getMessage(), e);
        }
    }

    public Issuer issuer() {
        return issuer;
    }

    public Optional<URI> endSessionEndpoint() {
        return Optional.ofNullable(metadata.getEndSessionEndpointURI());
    }

    /** Where to send the browser to sign in: the code flow with PKCE (S256), state and nonce. */
    public URI authorizationUri(URI redirectUri, String state, String nonce, String codeVerifier) {
        Set<String> scopes = new LinkedHashSet<>();
        scopes.add("openid");
        scopes.addAll(settings.scopes());
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(scopes.toArray(String[]::new)), clientId,
                redirectUri)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(new State(state))
                .nonce(new Nonce(nonce))
                .codeChallenge(new CodeVerifier(codeVerifier), CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /** The provider's sign-out page, when it has one, sending the browser back to {@code afterLogout}. */
    public Optional<URI> logoutUri(Optional<String> idTokenHint, URI afterLogout) {
        return endSessionEndpoint().map(endpoint -> {
            JWT hint = idTokenHint.flatMap(OidcProvider::parseQuietly).orElse(null);
            return new LogoutRequest(endpoint, hint, null, clientId, afterLogout, null, null).toURI();
        });
    }

    /** What a successful token request gave; claims as JSON values (times in epoch seconds). */
    public record Grant(Map<String, Object> idTokenClaims, Optional<String> idToken, Optional<String> refreshToken,
            Instant accessExpiresAt) {
        @Override
        public String toString() {
            return "Grant[sub=" + idTokenClaims.get("sub") + ", accessExpiresAt=" + accessExpiresAt + "]";
        }
    }

    /**
     * Exchanges an authorization code and validates the ID token against the nonce of the sign-in.
     *
     * @throws SignInException                       when the provider refuses or its tokens do not check out
     * @throws IdentityProviderUnavailableException when it cannot be reached
     */
    public Grant exchange(String code, URI redirectUri, String codeVerifier, String nonce) {
        TokenResponse response = tokenRequest(new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri,
                new CodeVerifier(codeVerifier)));
        if (!response.indicatesSuccess()) {
            throw new SignInException(SignInException.Reason.TOKEN_REJECTED,
                    "the provider refused the authorization code: " + describe(((TokenErrorResponse) response).getErrorObject()));
        }
        if (!(response instanceof OIDCTokenResponse oidc) || oidc.getOIDCTokens().getIDToken() == null) {
            throw new SignInException(SignInException.Reason.TOKEN_REJECTED, "the provider answered without an ID token");
        }
        JWT idToken = oidc.getOIDCTokens().getIDToken();
        Map<String, Object> claims;
        try {
            claims = idTokens.validate(idToken, new Nonce(nonce)).toJWTClaimsSet().toJSONObject();
        } catch (BadJOSEException | ParseException e) {
            throw new SignInException(SignInException.Reason.TOKEN_REJECTED, "the ID token is not valid: " + e.getMessage());
        } catch (JOSEException e) {
            throw unavailable("cannot check the ID token's signature", e);
        }
        return grant(oidc.getTokens(), claims, Optional.of(oidc.getOIDCTokens().getIDTokenString()));
    }

    /**
     * Refreshes: new access expiry, maybe a new refresh token and ID token (whose claims then replace the old).
     *
     * @return empty when the provider refuses the refresh token (expired, revoked: the user must sign in again)
     * @throws IOException when the provider cannot be reached or its answer does not check out
     */
    public Optional<Grant> refresh(String refreshToken, Map<String, Object> currentClaims) throws IOException {
        TokenResponse response;
        try {
            response = tokenRequest(new RefreshTokenGrant(new RefreshToken(refreshToken)));
        } catch (IdentityProviderUnavailableException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = ((TokenErrorResponse) response).getErrorObject();
            if (error.getHTTPStatusCode() >= 500) {
                throw new IOException("the provider failed to refresh: " + describe(error));
            }
            return Optional.empty();
        }
        Tokens tokens = response.toSuccessResponse().getTokens();
        Map<String, Object> claims = currentClaims;
        Optional<String> idToken = Optional.empty();
        if (response instanceof OIDCTokenResponse oidc && oidc.getOIDCTokens().getIDToken() != null) {
            try {
                Map<String, Object> fresh = idTokens.validate(oidc.getOIDCTokens().getIDToken(), null)
                        .toJWTClaimsSet().toJSONObject();
                if (!java.util.Objects.equals(fresh.get("sub"), currentClaims.get("sub"))) {
                    return Optional.empty();
                }
                claims = fresh;
                idToken = Optional.of(oidc.getOIDCTokens().getIDTokenString());
            } catch (BadJOSEException | ParseException | JOSEException e) {
                throw new IOException("the refreshed ID token is not valid: " + e.getMessage(), e);
            }
        }
        return Optional.of(grant(tokens, claims, idToken));
    }

    /**
     * Verifies a bearer access token: signature against the provider's keys, issuer, audience, expiry.
     *
     * @return its claims
     * @throws AuthenticationException               when it is not valid
     * @throws IdentityProviderUnavailableException when the provider's keys cannot be fetched
     */
    public Map<String, Object> verifyAccessToken(String token) throws AuthenticationException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
            // Refuse other issuers before looking for their key: their key ids must not trigger fetches of ours.
            if (!issuer.getValue().equals(jwt.getJWTClaimsSet().getIssuer())) {
                throw new AuthenticationException("the bearer token was not issued by the configured OIDC provider");
            }
        } catch (java.text.ParseException e) {
            throw new AuthenticationException("the bearer token is not a signed JWT");
        }
        try {
            return accessTokens.process(jwt, null).toJSONObject();
        } catch (BadJOSEException e) {
            throw new AuthenticationException("the bearer token was refused: " + e.getMessage());
        } catch (RateLimitReachedException e) {
            throw new AuthenticationException("the bearer token is signed with a key the provider does not publish");
        } catch (JOSEException e) {
            throw unavailable("cannot check the bearer token's signature", e);
        }
    }

    private TokenResponse tokenRequest(AuthorizationGrant grant) {
        TokenRequest request;
        if (settings.clientSecret().isEmpty()) {
            request = new TokenRequest.Builder(metadata.getTokenEndpointURI(), clientId, grant).build();
        } else {
            Secret secret = new Secret(settings.clientSecret());
            List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
            boolean postOnly = methods != null && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
            request = new TokenRequest.Builder(metadata.getTokenEndpointURI(),
                    postOnly ? new ClientSecretPost(clientId, secret) : new ClientSecretBasic(clientId, secret), grant)
                    .build();
        }
        HTTPRequest http = request.toHTTPRequest();
        int timeout = (int) settings.httpTimeout().toMillis();
        http.setConnectTimeout(timeout);
        http.setReadTimeout(timeout);
        try {
            return OIDCTokenResponseParser.parse(http.send());
        } catch (IOException | ParseException e) {
            throw unavailable("the token endpoint " + metadata.getTokenEndpointURI() + " did not answer usably", e);
        }
    }

    private static Grant grant(Tokens tokens, Map<String, Object> claims, Optional<String> idToken) {
        long lifetime = tokens.getAccessToken().getLifetime();
        Instant accessExpires;
        if (lifetime > 0) {
            accessExpires = Instant.now().plusSeconds(lifetime);
        } else if (claims.get("exp") instanceof Number exp) {
            accessExpires = Instant.ofEpochSecond(exp.longValue());
        } else {
            accessExpires = Instant.now().plus(DEFAULT_ACCESS_LIFETIME);
        }
        Optional<String> refresh = Optional.ofNullable(tokens.getRefreshToken()).map(RefreshToken::getValue);
        return new Grant(claims, idToken, refresh, accessExpires);
    }

    private static Optional<JWT> parseQuietly(String jwt) {
        try {
            return Optional.of(JWTParser.parse(jwt));
        } catch (java.text.ParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(ErrorObject error) {
        return error.getCode() + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")");
    }

    private static IdentityProviderUnavailableException unavailable(String what, Exception e) {
        return new IdentityProviderUnavailableException(what + ": " + e.getMessage(), e);
    }
}
