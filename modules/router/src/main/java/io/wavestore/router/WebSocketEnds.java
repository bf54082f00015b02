package io.wavestore.router;

import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.pf.PFBuilder;
import org.apache.pekko.stream.Graph;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a relayed WebSocket ends. A browser tab closed, a network dropped, an app stopped: one side's stream then
 * fails with an abort or a reset instead of a close frame, and pekko-http logs a failed WebSocket handler as an
 * ERROR with its stack trace (thousands when a crowd of pages closes at once). Those expected endings close the
 * other side normally and are logged at DEBUG; any other error still fails the stream and is logged by pekko.
 */
final class WebSocketEnds {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEnds.class);

    private WebSocketEnds() {
    }

    /** Passes messages on, and ends normally when the side they come from went away abruptly. */
    static <M> Flow<M, M, NotUsed> endQuietly(String side) {
        return Flow.<M>create().recoverWithRetries(1, new PFBuilder<Throwable, Graph<SourceShape<M>, NotUsed>>()
                .match(Throwable.class, WebSocketEnds::isExpectedEnd, error -> {
                    LOG.debug("WebSocket: the {} went away ({})", side, error.toString());
                    return Source.<M>empty();
                })
                .build());
    }

    /** A connection closed or reset, a stream aborted or timed out: how WebSockets end without a close frame. */
    static boolean isExpectedEnd(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.pekko.stream.StreamTcpException
                    || t instanceof org.apache.pekko.http.scaladsl.model.ws.PeerClosedConnectionException
                    || t instanceof org.apache.pekko.stream.AbruptTerminationException
                    || t instanceof org.apache.pekko.stream.AbruptStageTerminationException
                    || t instanceof org.apache.pekko.stream.StreamDetachedException
                    || t instanceof org.apache.pekko.stream.scaladsl.TcpIdleTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.io.IOException
                    || t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
