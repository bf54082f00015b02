package io.wavestore.identity;

import java.util.Optional;

/**
 * The request carried credentials, and they are not acceptable (expired, tampered, unknown), or a header that says
 * who the caller is cannot be read at all ({@link #invalidHeader()}: the request is malformed, not unauthenticated).
 */
public final class AuthenticationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String invalidHeader;

    public AuthenticationException(String message) {
        this(message, null);
    }

    /** @param invalidHeader the header whose value is malformed */
    public AuthenticationException(String message, String invalidHeader) {
        super(message);
        this.invalidHeader = invalidHeader;
    }

    public Optional<String> invalidHeader() {
        return Optional.ofNullable(invalidHeader);
    }
}
