package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a real storage server that answers the next requests with a
 * throttling error (as Azure and GCS do under load) and forwards the rest, so tests see the stores back off
 * and retry; with the checks both stores' tests make. Buffers bodies: meant for small blobs.
 */
final class ThrottlingProxy implements AutoCloseable {

    // Hop-by-hop headers and those the JDK's client sets itself.
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final int status;
    private final String contentType;
    private final String body;
    private final AtomicInteger toThrottle = new AtomicInteger();
    private volatile String throttledMethod;
    private final AtomicInteger throttled = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();

    /**
     * @param target where requests go, {@code http://127.0.0.1:<port>}
     * @param status what a throttled request gets (429 or 503)
     * @param body   and its body, in the service's error format
     */
    ThrottlingProxy(URI target, int status, String contentType, String body) throws IOException {
        this.target = target;
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}: the target's URL with the proxy's port. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code requests} requests are throttled. */
    void throttleNext(int requests) {
        throttleNext(requests, null);
    }

    /** The next {@code requests} requests with this method (any method when null) are throttled. */
    void throttleNext(int requests, String method) {
        throttledMethod = method;
        toThrottle.set(requests);
    }

    int throttled() {
        return throttled.get();
    }

    int forwarded() {
        return forwarded.get();
    }

    /**
     * Checks that each call of {@code store} (which talks through this proxy to an empty container or bucket)
     * still succeeds when its first two requests are throttled: the store backs off and retries.
     *
     * @param uploadMethod the HTTP method of the store's upload request, so the upload itself is throttled
     */
    void assertStoreRetries(BlobStore store, Path directory, String uploadMethod) throws IOException {
        String hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        throttleNext(2);
        assertThat(store.exists(hello)).isFalse();
        throttleNext(2, uploadMethod);
        assertThat(store.put(Files.writeString(directory.resolve("hello.txt"), "hello")).created()).isTrue();
        throttleNext(2);
        try (InputStream in = store.open(hello).orElseThrow().stream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
        throttleNext(2);
        assertThat(store.list()).extracting(BlobInfo::digest).containsExactly(hello);
        assertThat(throttled()).isEqualTo(8);
    }

    /** Checks that a store throttled without end gives up after {@code attempts} with an error saying so. */
    void assertStoreGivesUp(BlobStore store, int attempts, String error) {
        String digest = "ab".repeat(32);
        throttleNext(Integer.MAX_VALUE);
        assertThatThrownBy(() -> store.exists(digest))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(error)
                .hasMessageContaining(digest);
        assertThat(throttled()).isEqualTo(attempts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            String method = throttledMethod;
            boolean candidate = method == null || method.equalsIgnoreCase(exchange.getRequestMethod());
            if (candidate && toThrottle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throttled.incrementAndGet();
                byte[] error = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                exchange.getResponseHeaders().set("Retry-After", "0");
                exchange.sendResponseHeaders(status, isHead(exchange) ? -1 : error.length);
                if (!isHead(exchange)) {
                    exchange.getResponseBody().write(error);
                }
                return;
            }
            forward(exchange, requestBody);
        }
    }

    private void forward(HttpExchange exchange, byte[] requestBody) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), requestBody.length == 0 && !hasBody(exchange)
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        forwarded.incrementAndGet();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean keepLength = lower.equals("content-length") && isHead(exchange);
            if (!lower.startsWith(":") && (keepLength || !NOT_FORWARDED.contains(lower))) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        byte[] responseBody = response.body();
        boolean noBody = isHead(exchange) || responseBody.length == 0 || response.statusCode() == 304;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(responseBody);
            }
        }
    }

    private static boolean isHead(HttpExchange exchange) {
        return exchange.getRequestMethod().equalsIgnoreCase("HEAD");
    }

    private static boolean hasBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return length != null && !length.equals("0") || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
