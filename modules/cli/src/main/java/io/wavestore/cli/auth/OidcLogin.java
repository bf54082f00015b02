package io.wavestore.cli.auth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.MultivaluedMapUtils;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.config.Profile;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sign-in of a command line with the store's OpenID Connect provider (RFC 8252): the authorization code flow with
 * PKCE, in the user's browser, redirected back to a one-shot HTTP listener on the loopback interface. The access
 * token it gets is what the store accepts as {@code Authorization: Bearer}.
 */
public final class OidcLogin {

    private final URI issuer;
    private final String clientId;
    private final Scope scope;
    private final BrowserOpener browser;
    private final PrintWriter err;
    private final Duration within;

    public OidcLogin(URI issuer, String clientId, String scope, BrowserOpener browser, PrintWriter err, Duration within) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.scope = Scope.parse(scope);
        this.browser = browser;
        this.err = err;
        this.within = within;
    }

    public Profile.OidcTokens signIn() {
        OIDCProviderMetadata provider = discover(issuer);
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
        HttpServer listener = loopbackListener(callback);
        try {
            URI redirect = URI.create("http://127.0.0.1:" + listener.getAddress().getPort() + "/callback");
            URI authorize = new AuthenticationRequest.Builder(ResponseType.CODE, scope, new ClientID(clientId), redirect)
                    .endpointURI(provider.getAuthorizationEndpointURI())
                    .state(state)
                    .nonce(new Nonce())
                    .codeChallenge(verifier, CodeChallengeMethod.S256)
                    .build().toURI();
            err.println("Sign in in your browser; if it does not open, open this address:");
            err.println("  " + authorize);
            err.flush();
            browser.open(authorize);
            Map<String, String> answer = await(callback);
            if (answer.containsKey("error")) {
                throw new CliFailure(ExitCodes.AUTH, "the provider refused the sign-in: " + answer.get("error")
                        + (answer.containsKey("error_description") ? ": " + answer.get("error_description") : ""));
            }
            if (!state.getValue().equals(answer.get("state")) || answer.get("code") == null) {
                throw new CliFailure(ExitCodes.AUTH, "the sign-in answer does not belong to this sign-in (state mismatch)");
            }
            AuthorizationCodeGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(answer.get("code")), redirect,
                    verifier);
            return tokens(new TokenRequest(provider.getTokenEndpointURI(), new ClientID(clientId), grant, null), null);
        } finally {
            listener.stop(0);
        }
    }

    static OIDCProviderMetadata discover(URI issuer) {
        try {
            return OIDCProviderMetadata.resolve(new Issuer(issuer));
        } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "cannot read the provider's configuration at " + issuer + ": "
                    + e.getMessage());
        }
    }

    /** Sends a token request and keeps what the store needs; a refresh token not sent again stays {@code previousRefresh}. */
    static Profile.OidcTokens tokens(TokenRequest request, String previousRefresh) {
        try {
            TokenResponse response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
            if (!response.indicatesSuccess()) {
                var error = response.toErrorResponse().getErrorObject();
                throw new CliFailure(ExitCodes.AUTH, "the provider refused the token request: " + error.getCode()
                        + (error.getDescription() != null ? ": " + error.getDescription() : ""));
            }
            Tokens tokens = response.toSuccessResponse().getTokens();
            long lifetime = tokens.getAccessToken().getLifetime();
            String refresh = tokens.getRefreshToken() != null ? tokens.getRefreshToken().getValue() : previousRefresh;
            return new Profile.OidcTokens(null, null, tokens.getAccessToken().getValue(), refresh,
                    lifetime > 0 ? Instant.now().plusSeconds(lifetime) : null);
        } catch (IOException | ParseException e) {
            throw new CliFailure(ExitCodes.UNAVAILABLE, "the token request failed: " + e.getMessage());
        }
    }

    public Profile.OidcTokens withIssuer(Profile.OidcTokens tokens) {
        return new Profile.OidcTokens(issuer.toString(), clientId, tokens.accessToken(), tokens.refreshToken(),
                tokens.expiresAt());
    }

    /** One listener on 127.0.0.1 and a free port: it takes the provider's redirect and tells the browser to close. */
    private static HttpServer loopbackListener(CompletableFuture<Map<String, String>> callback) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/callback", exchange -> {
                callback.complete(MultivaluedMapUtils.toSingleValuedMap(
                        URLUtils.parseParameters(exchange.getRequestURI().getRawQuery())));
                byte[] page = "<!doctype html><title>Wavestore</title><p>Signed in: you may close this window."
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(page);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.FAILED, "cannot listen on the loopback interface for the sign-in: " + e.getMessage());
        }
    }

    private Map<String, String> await(CompletableFuture<Map<String, String>> callback) {
        try {
            return callback.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CliFailure(ExitCodes.AUTH, "no sign-in within " + within.toMinutes() + " minutes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCodes.AUTH, "sign-in interrupted");
        } catch (ExecutionException e) {
            throw new CliFailure(ExitCodes.AUTH, "sign-in failed: " + e.getCause().getMessage());
        }
    }
}
