package io.wavestore.client;

/** Told how far a streamed upload or download has come; {@code total} is -1 when unknown. */
@FunctionalInterface
public interface TransferListener {

    TransferListener NONE = (done, total) -> { };

    void transferred(long done, long total);
}
