package io.wavestore.identity;

/**
 * The one place that answers "who is this": every route asks it before anything else.
 * The development identity implements it today; OIDC sessions and tokens will.
 */
public interface CallerResolver {

    /**
     * @return the caller; {@link Caller#anonymous()} when the request carries no credentials
     * @throws AuthenticationException when it carries credentials that are not valid
     */
    Caller resolve(RequestCredentials credentials) throws AuthenticationException;

    /** True when this resolver is the development identity, which the UI and logs flag as unsafe. */
    default boolean isDevelopment() {
        return false;
    }
}
