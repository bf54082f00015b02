package io.wavestore.identity;

/** The request carried credentials, and they are not acceptable (expired, tampered, unknown). */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }
}
