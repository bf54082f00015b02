package io.wavestore.identity.token;

import io.wavestore.identity.Authentication;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.RequestCredentials;
import java.util.Optional;

/**
 * Adds personal API tokens to another identity: a bearer token starting with {@value ApiTokens#PREFIX} is looked
 * up in the token table, anything else goes to the identity it wraps (OIDC or the development identity).
 */
public final class ApiTokenIdentity implements CallerResolver {

    private final CallerResolver delegate;
    private final ApiTokens tokens;

    public ApiTokenIdentity(CallerResolver delegate, ApiTokens tokens) {
        this.delegate = delegate;
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(RequestCredentials credentials) throws AuthenticationException {
        Optional<String> bearer = credentials.bearerToken();
        if (bearer.isPresent() && ApiTokens.isApiToken(bearer.get())) {
            return tokens.resolve(bearer.get())
                    .map(caller -> Authentication.of(caller, Authentication.Method.API_TOKEN))
                    .orElseThrow(() -> new AuthenticationException("the API token is unknown, revoked or expired"));
        }
        return delegate.authenticate(credentials);
    }

    @Override
    public boolean isDevelopment() {
        return delegate.isDevelopment();
    }
}
