package io.wavestore.client;

/** The store did not answer: refused connection, unknown host, time-out, or a connection cut while streaming. */
public class StoreUnreachableException extends WavestoreException {

    public StoreUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
