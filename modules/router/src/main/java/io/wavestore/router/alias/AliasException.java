package io.wavestore.router.alias;

/**
 * An alias change that cannot be made, with the problem the API answers: a stable code
 * ({@code urn:wavestore:problem:<code>}), its HTTP status, and the field that was wrong.
 */
public final class AliasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String title;
    private final int status;
    private final String field;

    public AliasException(String code, String title, int status, String detail, String field) {
        super(detail);
        this.code = code;
        this.title = title;
        this.status = status;
        this.field = field;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /** The input that was wrong, or null. */
    public String field() {
        return field;
    }

    public static AliasException notFound(String name) {
        return new AliasException("alias-not-found", "Alias not found", 404, "there is no alias " + name, null);
    }

    public static AliasException invalid(String field, String detail) {
        return new AliasException("invalid-parameter", "Invalid parameter", 400, detail, field);
    }
}
