package io.wavestore.identity.token;

/** A request about API tokens that cannot be honoured: a bad field, or too many tokens. */
public final class ApiTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public ApiTokenException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field that was wrong, or null. */
    public String field() {
        return field;
    }
}
