package io.wavestore.identity;

/**
 * The one place that answers "who is this": every route asks it before anything else. The development identity,
 * OIDC (sessions and bearer tokens) and personal API tokens implement it. Implementations may block (database,
 * the provider's keys): callers run them off the request threads.
 */
public interface CallerResolver {

    /**
     * @return the caller; {@link Caller#anonymous()} when the request carries no credentials
     * @throws AuthenticationException when it carries credentials that are not valid
     */
    default Caller resolve(RequestCredentials credentials) throws AuthenticationException {
        return authenticate(credentials).caller();
    }

    /**
     * The caller and how the request proved who it is, which decides whether it needs a CSRF token.
     *
     * @throws AuthenticationException when the request carries credentials that are not valid
     */
    Authentication authenticate(RequestCredentials credentials) throws AuthenticationException;

    /** True when this resolver is the development identity, which the UI and logs flag as unsafe. */
    default boolean isDevelopment() {
        return false;
    }
}
