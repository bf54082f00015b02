package io.wavestore.scheduler.secrets;

/**
 * An instance cannot start because a secret its app refers to is missing, lacks the key, or may not be used by it.
 * The message names the secret and the key, never a value.
 */
public final class SecretUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretUnavailable(String message) {
        super(message);
    }
}
