package io.wavestore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;

/**
 * A real S3 endpoint for tests: s3proxy in this JVM on 127.0.0.1, a free port, its objects in
 * files under a temp directory, and AWS signature v4 required with {@link #accessKey()} and
 * {@link #secretKey()}. Clients need path-style access ({@code forcePathStyle(true)}).
 * {@link #close()} stops it and deletes the directory.
 */
public final class S3Server implements BlobServer {

    private static final String HOST = "127.0.0.1";
    private static final String ACCESS_KEY = "wavestore-test-access-key";
    private static final String SECRET_KEY = "wavestore-test-secret-key";
    private static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final BlobStore backend;
    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Server(Path directory, BlobStore backend, S3Proxy proxy, URI endpoint) {
        this.directory = directory;
        this.backend = backend;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static S3Server start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("wavestore-s3-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the test S3 directory", e);
        }
        BlobStore backend = null;
        S3Proxy proxy = null;
        try {
            Properties properties = new Properties();
            properties.setProperty("jclouds.filesystem.basedir", directory.toString());
            properties.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
            properties.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
            backend = BlobStores.create("filesystem", properties);
            proxy = S3Proxy.builder()
                    .blobStore(backend)
                    .endpoint(URI.create("http://" + HOST + ":0"))
                    .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY, SECRET_KEY)
                    // Tests are done with their requests when they stop the server: skip the drain.
                    .stopTimeout(0)
                    .build();
            proxy.start();
            awaitStarted(proxy);
            return new S3Server(directory, backend, proxy, URI.create("http://" + HOST + ":" + proxy.getPort()));
        } catch (Exception e) {
            stopQuietly(proxy, backend);
            RepositoryScripts.deleteRecursively(directory);
            throw new IllegalStateException("Cannot start the test S3 server", e);
        }
    }

    private static void awaitStarted(S3Proxy proxy) {
        Awaitility.await("s3proxy started").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(10))
                .until(() -> "STARTED".equals(proxy.getState()));
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /**
     * The store's settings ({@code wavestore.blob.*}) that keep its blobs in {@code bucket} on this server; with
     * {@code create}, the store creates the bucket.
     */
    @Override
    public Map<String, Object> blobSettings(String bucket, boolean create) {
        return StoreBlobSettings.of("s3", "endpoint", endpoint.toString(), "region", REGION, "bucket", bucket,
                "access-key", ACCESS_KEY, "secret-key", SECRET_KEY, "path-style", true, "create-bucket", create);
    }

    /** Creates an empty bucket; returns its name for convenience. */
    public String createBucket(String name) {
        backend.createContainer(name);
        return name;
    }

    @Override
    public void close() {
        stopQuietly(proxy, backend);
        RepositoryScripts.deleteRecursively(directory);
    }

    private static void stopQuietly(S3Proxy proxy, BlobStore backend) {
        if (proxy != null) {
            try {
                proxy.stop();
            } catch (Exception e) {
                // stopping a test server: nothing to do about it
            }
        }
        if (backend != null) {
            backend.close();
        }
    }
}
