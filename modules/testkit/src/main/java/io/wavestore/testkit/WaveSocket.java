package io.wavestore.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Wave page's side of its WebSocket ({@code <base>_s/}), as a browser opens it through the store's router: it sends
 * the page's messages and reads the server's, and notices when the socket closes.
 */
public final class WaveSocket implements WebSocket.Listener {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final TextMessages parts = new TextMessages();
    private WebSocket socket;
    private volatile boolean closed;

    private WaveSocket() {
    }

    /** Opens the socket at {@code url} with the page's {@code Origin} and the development identity's user. */
    public static WaveSocket open(HttpClient http, String url, String origin, String user) throws Exception {
        WaveSocket session = new WaveSocket();
        session.socket = http.newWebSocketBuilder().header("Origin", origin).header("X-Dev-User", user)
                .buildAsync(URI.create(url), session).get(20, TimeUnit.SECONDS);
        return session;
    }

    public void send(String message) throws Exception {
        socket.sendText(message, true).get(5, TimeUnit.SECONDS);
    }

    /** Waits for a message that contains {@code text}; returns it. */
    public String awaitContaining(String text) throws InterruptedException {
        return awaitContaining(text, ANSWER_WITHIN);
    }

    /** The same, waiting at most {@code within}. */
    public String awaitContaining(String text, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String message = received.poll(500, TimeUnit.MILLISECONDS);
            if (message != null) {
                seen.append(message).append('\n');
                if (message.contains(text)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no message with '" + text + "' (socket closed: " + closed + "); got:\n" + seen);
    }

    public boolean isOpen() {
        return !closed && !socket.isInputClosed() && !socket.isOutputClosed();
    }

    public void close() throws Exception {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String message = parts.add(data, last);
        if (message != null) {
            received.add(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int status, String reason) {
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }
}
