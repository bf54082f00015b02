package io.wavestore.router;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this replica saw of one instance's use, written by the data plane's event loops without a lock or an
 * allocation: a request to it, a read from a browser's WebSocket to it. The {@link InstanceUseReporter} reads it.
 */
final class InstanceUse {

    /** When (epoch millis) the last request to the instance began. */
    private volatile long lastRequest;
    /** When (epoch millis) a browser's WebSocket to it last sent something, or opened. */
    private volatile long lastSocketRead;
    private final AtomicInteger openSockets = new AtomicInteger();

    void requested() {
        lastRequest = System.currentTimeMillis();
    }

    /** Once per read from the browser's side of a relayed WebSocket: one volatile write. */
    void socketRead() {
        lastSocketRead = System.currentTimeMillis();
    }

    void socketOpened() {
        lastSocketRead = System.currentTimeMillis();
        openSockets.incrementAndGet();
    }

    void socketClosed() {
        openSockets.decrementAndGet();
    }

    /**
     * The last time the instance counts as used, at {@code now}: its last request, its browsers' last WebSocket reads,
     * and while a WebSocket is open, up to {@code grace} after its last read (a user reading or typing sends nothing;
     * a tab left open in the background stops counting after the grace, whatever the instance sends to it).
     */
    long lastUsed(long now, long graceMillis) {
        long used = Math.max(lastRequest, lastSocketRead);
        if (openSockets.get() > 0) {
            used = Math.max(used, Math.min(now, lastSocketRead + graceMillis));
        }
        return used;
    }

    boolean hasOpenSockets() {
        return openSockets.get() > 0;
    }
}
