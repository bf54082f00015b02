package io.wavestore.scheduler.runtime;

/** A runtime operation did not happen; the message says why in words a user can act on. */
public final class RuntimeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Kind kind;

    public enum Kind {
        /** The instance does not exist (any more). */
        NOT_FOUND,
        /** It exists already (install of an existing id). */
        ALREADY_EXISTS,
        /** The cluster refused or failed the change. */
        FAILED
    }

    public RuntimeFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public RuntimeFailure(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
