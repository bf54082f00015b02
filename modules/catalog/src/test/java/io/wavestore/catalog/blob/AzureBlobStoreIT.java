package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob store contract against a real Azure Blob Storage endpoint (Azurite), one fresh container per test. */
class AzureBlobStoreIT extends BlobStoreContract {

    @RegisterExtension
    static final ServerPerClass<AzuriteServer> SERVER = new ServerPerClass<>(AzuriteServer::start);

    /** A client of a new, empty container, with the store's own HTTP client and retry policy. */
    static BlobContainerClient newContainer(AzuriteServer target) {
        return newContainer(target, target.endpoint());
    }

    /** The same through another endpoint (a proxy in front of Azurite). */
    static BlobContainerClient newContainer(AzuriteServer target, URI endpoint) {
        String name = "blobs-" + UUID.randomUUID().toString().substring(0, 8);
        BlobContainerClient container = AzureBlobStores.client(BlobStoresTest.blobConfig(Map.of(
                "wavestore.blob.azure.endpoint", endpoint.toString(),
                "wavestore.blob.azure.account-name", target.accountName(),
                "wavestore.blob.azure.account-key", target.accountKey(),
                "wavestore.blob.azure.retry-delay", GcsBlobStoresIT.RETRY_DELAY)).getConfig("azure"), name);
        container.create();
        return container;
    }

    private AzureBlobStore store(String prefix) {
        return new AzureBlobStore(newContainer(SERVER.get()), prefix);
    }

    @Override
    protected BlobStore store() {
        return store("wavestore/");
    }

    @Test
    void blobNamesArePrefixSha256Digest() throws IOException {
        BlobContainerClient container = newContainer(SERVER.get());
        new AzureBlobStore(container, "apps").put(Files.writeString(files.resolve("hello.txt"), "hello"));

        assertThat(container.listBlobs()).extracting(BlobItem::getName).containsExactly("apps/sha256/" + HELLO_SHA256);
    }

    @Test
    void otherBlobsInTheContainerAreNotBlobs() throws IOException {
        BlobContainerClient container = newContainer(SERVER.get());
        AzureBlobStore store = new AzureBlobStore(container, "wavestore/");
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));
        container.getBlobClient("wavestore/sha256/readme.txt").upload(BinaryData.fromString("x"));
        container.getBlobClient("other/sha256/" + "ab".repeat(32)).upload(BinaryData.fromString("x"));
        container.getBlobClient("sha256/" + "cd".repeat(32)).upload(BinaryData.fromString("x"));

        assertThat(store.list()).extracting(BlobInfo::digest).containsExactly(HELLO_SHA256);
    }

    @Test
    void anExistingBlobIsNeverOverwritten() throws IOException {
        BlobContainerClient container = newContainer(SERVER.get());
        AzureBlobStore store = new AzureBlobStore(container, "");
        // Someone else's bytes under the name: the store leaves them alone and reports nothing created.
        container.getBlobClient("sha256/" + HELLO_SHA256).upload(BinaryData.fromString("not hello"));

        assertThat(store.put(Files.writeString(files.resolve("hello.txt"), "hello")).created()).isFalse();
        try (InputStream in = store.open(HELLO_SHA256).orElseThrow().stream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("not hello");
        }
    }

    @Test
    void throttledRequestsAreRetriedWithBackoff() throws IOException {
        try (ThrottlingProxy proxy = busyProxy()) {
            proxy.assertStoreRetries(storeThrough(proxy), files, "PUT");
        }
    }

    @Test
    void throttlingThatGoesOnIsAClearErrorAfterTheRetries() throws IOException {
        try (ThrottlingProxy proxy = busyProxy()) {
            proxy.assertStoreGivesUp(storeThrough(proxy), AzureBlobStores.MAX_TRIES, "HTTP 503");
        }
    }

    private static AzureBlobStore storeThrough(ThrottlingProxy proxy) {
        AzuriteServer azurite = SERVER.get();
        return new AzureBlobStore(newContainer(azurite, URI.create(proxy.endpoint() + azurite.endpoint().getPath())), "");
    }

    private static ThrottlingProxy busyProxy() throws IOException {
        URI azurite = URI.create("http://" + SERVER.get().endpoint().getAuthority());
        return new ThrottlingProxy(azurite, 503, "application/xml",
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>ServerBusy</Code>"
                        + "<Message>The server is busy.</Message></Error>");
    }

    @Test
    void describeNamesContainerAndEndpointButNoKey() {
        AzureBlobStore store = store("wavestore");
        assertThat(store.describe())
                .contains(SERVER.get().endpoint() + "/" + store.container() + "/wavestore/")
                .doesNotContain(SERVER.get().accountKey());
    }
}
