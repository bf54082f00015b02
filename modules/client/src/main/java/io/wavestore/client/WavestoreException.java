package io.wavestore.client;

/** A call to the store did not succeed: refused by the store, or the store could not be reached. */
public class WavestoreException extends RuntimeException {

    public WavestoreException(String message) {
        super(message);
    }

    public WavestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
