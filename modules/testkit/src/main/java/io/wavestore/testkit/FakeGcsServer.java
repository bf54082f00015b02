package io.wavestore.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Google Cloud Storage JSON API endpoint for tests: fake-gcs-server (built from source by
 * {@code modules/testkit/blob-servers/build.sh fake-gcs-server}) on 127.0.0.1 and a free port, its objects in
 * a temp directory. It takes any credentials, so clients connect without any. {@link #close()} stops it and
 * deletes the directory.
 */
public final class FakeGcsServer implements BlobServer {

    public static final String PROPERTY = "wavestore.fakeGcs.bin";
    public static final String ENVIRONMENT = "WAVESTORE_FAKE_GCS_BIN";
    private static final String EXECUTABLE = "fake-gcs-server";
    private static final int START_ATTEMPTS = 3;

    private final ServerProcess process;
    private final URI endpoint;

    private FakeGcsServer(ServerProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static FakeGcsServer start() {
        Path bin = BlobServerBinaries.locate("fake-gcs-server", PROPERTY, ENVIRONMENT, EXECUTABLE);
        IllegalStateException failure = null;
        // It must know its own URL (resumable uploads answer with it) before it listens, so it cannot take
        // port 0: it gets a port that was free a moment ago, and another one should someone take that first.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            URI endpoint = URI.create("http://127.0.0.1:" + FreePorts.onLoopback());
            try {
                var started = ServerProcess.start("fake-gcs-server", List.of(
                        bin.resolve(EXECUTABLE).toString(),
                        "-scheme", "http",
                        "-host", "127.0.0.1",
                        "-port", String.valueOf(endpoint.getPort()),
                        "-external-url", endpoint.toString(),
                        "-public-host", endpoint.getAuthority(),
                        "-backend", "filesystem",
                        "-filesystem-root", "{dir}/objects",
                        "-data", "{dir}/no-initial-data",
                        "-log-level", "info"), line -> line.contains("server started at") ? endpoint : null);
                return new FakeGcsServer(started.process(), started.address());
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * The store's settings ({@code wavestore.blob.*}) that keep its blobs in {@code bucket} on this server, without
     * credentials; with {@code create}, the store creates the bucket.
     */
    @Override
    public Map<String, Object> blobSettings(String bucket, boolean create) {
        return StoreBlobSettings.of("gcs", "endpoint", endpoint.toString(), "bucket", bucket, "anonymous", true,
                "create-bucket", create);
    }

    public String log() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
