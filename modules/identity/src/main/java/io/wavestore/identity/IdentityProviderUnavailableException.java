package io.wavestore.identity;

/** The OIDC provider (its keys, token or discovery endpoint) cannot be reached or answers nonsense: try again later. */
public final class IdentityProviderUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
