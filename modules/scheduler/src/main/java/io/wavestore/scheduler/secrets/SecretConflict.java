package io.wavestore.scheduler.secrets;

/** A secret with that name exists already in that scope (for that owner, or that app). */
public final class SecretConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretConflict(String message) {
        super(message);
    }
}
