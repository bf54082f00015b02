package io.wavestore.server.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A time limit on reading a request's headers, on the bytes of one connection before pekko-http parses them (pekko
 * has none: its idle-timeout is reset by every byte, so a client sending a header byte every few seconds held a
 * connection for ever; nginx's {@code client_header_timeout} is the model). The clock starts when the connection
 * opens and, for each later request on it, with the request's first byte; it stops at the blank line ending the
 * headers. A connection whose headers are not complete in time is closed.
 *
 * <p>To know where the next request starts, a body of known {@code Content-Length} is counted past. A chunked body
 * or an upgrade (WebSocket) ends the watch for that connection: what follows is not headers, and the idle-timeout
 * still applies to it.
 */
final class HeaderReadTimeout extends GraphStage<FlowShape<ByteString, ByteString>> {

    /** pekko refuses larger header blocks itself (431); past this the stage stops collecting but keeps the clock. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final ByteString END_OF_HEADERS = ByteString.fromString("\r\n\r\n", StandardCharsets.ISO_8859_1);

    private final Inlet<ByteString> in = Inlet.create("HeaderReadTimeout.in");
    private final Outlet<ByteString> out = Outlet.create("HeaderReadTimeout.out");
    private final Duration limit;

    private HeaderReadTimeout(Duration limit) {
        this.limit = limit;
    }

    /** Applies to the bytes that come from the network; the bytes going to it pass as they are. */
    static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> bidi(Duration limit) {
        return BidiFlow.fromFlows(Flow.create(), Flow.fromGraph(new HeaderReadTimeout(limit)));
    }

    @Override
    public FlowShape<ByteString, ByteString> shape() {
        return FlowShape.of(in, out);
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new TimerGraphStageLogic(shape()) {
            private static final String TIMER = "headers";
            /** Collecting a header block (timed), counting past a body, or no longer watching. */
            private boolean watching = true;
            private long bodyBytesLeft;
            private ByteString headers = ByteString.emptyByteString();

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        ByteString bytes = grab(in);
                        if (watching) {
                            follow(bytes);
                        }
                        push(out, bytes);
                    }
                });
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        pull(in);
                    }
                });
            }

            @Override
            public void preStart() {
                scheduleOnce(TIMER, limit);
            }

            @Override
            public void onTimer(Object key) {
                // As if the client had stopped sending: pekko-http ends the connection.
                completeStage();
            }

            private void follow(ByteString bytes) {
                ByteString rest = bytes;
                while (watching && !rest.isEmpty()) {
                    if (bodyBytesLeft > 0) {
                        int skipped = (int) Math.min(bodyBytesLeft, rest.size());
                        bodyBytesLeft -= skipped;
                        rest = rest.drop(skipped);
                        continue;
                    }
                    if (headers.isEmpty() && !isTimerActive(TIMER)) {
                        scheduleOnce(TIMER, limit); // the first byte of the next request
                    }
                    rest = collectHeaders(rest);
                }
            }

            /** @return what follows the header block, once it is complete; empty while it is not */
            private ByteString collectHeaders(ByteString bytes) {
                int before = headers.size();
                int searchFrom = Math.max(0, before - 3);
                headers = headers.concat(bytes.take(Math.max(0, MAX_HEADER_BYTES - before)));
                int end = headers.indexOfSlice(END_OF_HEADERS, searchFrom);
                if (end < 0) {
                    return ByteString.emptyByteString();
                }
                cancelTimer(TIMER);
                String block = headers.take(end).decodeString(StandardCharsets.ISO_8859_1);
                headers = ByteString.emptyByteString();
                nextRequest(block);
                return bytes.drop(end + END_OF_HEADERS.size() - before);
            }

            private void nextRequest(String headerBlock) {
                for (String line : headerBlock.split("\r\n")) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    if (name.equals("upgrade") || (name.equals("transfer-encoding") && value.contains("chunked"))) {
                        watching = false;
                        return;
                    }
                    if (name.equals("content-length")) {
                        try {
                            bodyBytesLeft = Math.max(0, Long.parseLong(value));
                        } catch (NumberFormatException e) {
                            watching = false; // pekko refuses the request and closes the connection
                            return;
                        }
                    }
                }
            }
        };
    }
}
