package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob store contract against a real GCS JSON API endpoint (fake-gcs-SERVER.get()), one fresh bucket per test. */
class GcsBlobStoreIT extends BlobStoreContract {

    @RegisterExtension
    static final ServerPerClass<FakeGcsServer> SERVER = new ServerPerClass<>(FakeGcsServer::start);

    /** A client as the store builds it (HTTP/JSON transport, its retry settings), without credentials. */
    static Storage client(FakeGcsServer target) {
        return client(target.endpoint());
    }

    static Storage client(URI endpoint) {
        return GcsBlobStores.storage(BlobStoresTest.blobConfig(Map.of(
                "wavestore.blob.gcs.endpoint", endpoint.toString(),
                "wavestore.blob.gcs.anonymous", true,
                "wavestore.blob.gcs.retry-delay", GcsBlobStoresIT.RETRY_DELAY)).getConfig("gcs"));
    }

    static String newBucket(Storage storage) {
        String bucket = "blobs-" + UUID.randomUUID().toString().substring(0, 8);
        storage.create(BucketInfo.of(bucket));
        return bucket;
    }

    private GcsBlobStore store(String prefix) {
        Storage storage = client(SERVER.get());
        GcsBlobStore store = new GcsBlobStore(storage, newBucket(storage), prefix);
        return closedAfterTest(store);
    }

    @Override
    protected BlobStore store() {
        return store("wavestore/");
    }

    private static List<String> names(Storage storage, String bucket) {
        return StreamSupport.stream(storage.list(bucket).iterateAll().spliterator(), false).map(Blob::getName).toList();
    }

    @Test
    void objectNamesArePrefixSha256Digest() throws IOException {
        GcsBlobStore store = store("apps");
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));

        try (Storage storage = client(SERVER.get())) {
            assertThat(names(storage, store.bucket())).containsExactly("apps/sha256/" + HELLO_SHA256);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void otherObjectsInTheBucketAreNotBlobs() throws Exception {
        GcsBlobStore store = store("wavestore/");
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));
        try (Storage storage = client(SERVER.get())) {
            for (String name : List.of("wavestore/sha256/readme.txt", "other/sha256/" + "ab".repeat(32),
                    "sha256/" + "cd".repeat(32))) {
                storage.create(com.google.cloud.storage.BlobInfo.newBuilder(BlobId.of(store.bucket(), name)).build(),
                        "x".getBytes(StandardCharsets.UTF_8));
            }
        }

        assertThat(store.list()).extracting(BlobInfo::digest).containsExactly(HELLO_SHA256);
    }

    @Test
    void anExistingObjectIsNeverOverwritten() throws Exception {
        GcsBlobStore store = store("");
        try (Storage storage = client(SERVER.get())) {
            storage.create(com.google.cloud.storage.BlobInfo.newBuilder(
                    BlobId.of(store.bucket(), "sha256/" + HELLO_SHA256)).build(), "not hello".getBytes(StandardCharsets.UTF_8));
        }

        assertThat(store.put(Files.writeString(files.resolve("hello.txt"), "hello")).created()).isFalse();
        try (var in = store.open(HELLO_SHA256).orElseThrow().stream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("not hello");
        }
    }

    @Test
    void throttledRequestsAreRetriedWithBackoff() throws Exception {
        try (ThrottlingProxy proxy = rateLimitingProxy(); Storage storage = client(proxy.endpoint())) {
            proxy.assertStoreRetries(new GcsBlobStore(storage, newBucket(storage), ""), files, "POST");
        }
    }

    @Test
    void throttlingThatGoesOnIsAClearErrorAfterTheRetries() throws Exception {
        try (ThrottlingProxy proxy = rateLimitingProxy(); Storage storage = client(proxy.endpoint())) {
            proxy.assertStoreGivesUp(new GcsBlobStore(storage, newBucket(storage), ""), GcsBlobStores.MAX_ATTEMPTS, "HTTP 429");
        }
    }

    private static ThrottlingProxy rateLimitingProxy() throws IOException {
        return new ThrottlingProxy(SERVER.get().endpoint(), 429, "application/json; charset=UTF-8",
                "{\"error\":{\"code\":429,\"message\":\"The rate of requests is too high.\",\"errors\":[{"
                        + "\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\","
                        + "\"message\":\"The rate of requests is too high.\"}]}}");
    }

    @Test
    void describeNamesBucketPrefixAndEndpoint() {
        GcsBlobStore store = store("wavestore");
        assertThat(store.describe())
                .contains("gs://" + store.bucket() + "/wavestore/")
                .contains(SERVER.get().endpoint().toString());
    }
}
