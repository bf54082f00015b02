package io.wavestore.router;

import java.time.Duration;

/**
 * What the router reports about its traffic to instances. The server implements it with its metrics registry; the
 * router itself knows nothing of how they are exposed.
 */
public interface ProxyMetrics {

    /** Reports nothing (tests, and a router without metrics). */
    ProxyMetrics NONE = new ProxyMetrics() {
        @Override
        public void upstreamAnswered(Kind kind, int status, Duration latency) {
        }

        @Override
        public void upstreamFailed(Kind kind, Duration latency) {
        }

        @Override
        public void webSocketOpened() {
        }

        @Override
        public void webSocketClosed() {
        }
    };

    /** An HTTP request, or a WebSocket's handshake. */
    enum Kind { HTTP, WEBSOCKET }

    /** The instance answered (its response's headers arrived, or it accepted or refused the upgrade) after this long. */
    void upstreamAnswered(Kind kind, int status, Duration latency);

    /** The instance could not be reached or did not answer. */
    void upstreamFailed(Kind kind, Duration latency);

    /** A browser's WebSocket is connected through to an instance. */
    void webSocketOpened();

    /** That WebSocket ended, either side having closed it. */
    void webSocketClosed();
}
