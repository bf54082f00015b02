package io.wavestore.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The checks that decide readiness: does waved answer, is the app listening. */
final class Probes {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient client;

    Probes(HttpClient client) {
        this.client = client;
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    int status(URI uri) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Whether a page answers: a success, or a redirect. A waved that signs its visitors in (EnableOIDC) answers its
     * pages with a redirect to its sign-in, as Kubernetes' httpGet probe also counts as ready.
     */
    boolean answers(URI uri) throws InterruptedException {
        int status = status(uri);
        return status >= 200 && status < 400;
    }

    /** Whether something accepts TCP connections on {@code host:port}. */
    static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on loopback right now, for the Wave app's own server (waved calls it there). */
    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
