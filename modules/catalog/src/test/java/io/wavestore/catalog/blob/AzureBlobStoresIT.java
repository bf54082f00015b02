package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStores#create} with type = azure against a real Azure Blob Storage endpoint (Azurite). */
class AzureBlobStoresIT {

    @RegisterExtension
    static final ServerPerClass<AzuriteServer> SERVER = new ServerPerClass<>(AzuriteServer::start);

    @TempDir
    Path dataDir;

    private static Config azureConfig(String container, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(SERVER.get().blobSettings(container, false));
        settings.put("wavestore.blob.azure.retry-delay", GcsBlobStoresIT.RETRY_DELAY);
        settings.putAll(overrides);
        return BlobStoresTest.blobConfig(settings);
    }

    @Test
    void createsAWorkingStoreOnAnExistingContainer() throws IOException {
        BlobStores.create(azureConfig("existing", Map.of("wavestore.blob.azure.create-container", true)), dataDir)
                .close();
        try (BlobStore store = BlobStores.create(azureConfig("existing", Map.of("wavestore.blob.azure.prefix", "ws")),
                dataDir)) {
            assertThat(store).isInstanceOf(AzureBlobStore.class);
            BlobPut put = store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.exists(put.digest())).isTrue();
            assertThat(store.describe()).contains("/existing/ws/").doesNotContain(SERVER.get().accountKey());
        }
    }

    @Test
    void aConnectionStringIsEnough() throws IOException {
        Config config = BlobStoresTest.blobConfig(Map.of(
                "wavestore.blob.type", "azure",
                "wavestore.blob.azure.container", "by-connection-string",
                "wavestore.blob.azure.connection-string", SERVER.get().connectionString(),
                "wavestore.blob.azure.create-container", true));
        try (BlobStore store = BlobStores.create(config, dataDir)) {
            store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void missingContainerIsAnErrorUnlessCreateContainer() throws IOException {
        assertThatThrownBy(() -> BlobStores.create(azureConfig("absent", Map.of()), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'absent'")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("wavestore.blob.azure.create-container");

        Map<String, Object> create = Map.of("wavestore.blob.azure.create-container", true);
        try (BlobStore store = BlobStores.create(azureConfig("created", create), dataDir)) {
            store.put(Files.writeString(dataDir.resolve("f"), "content"));
        }
        // and again, now that it exists
        try (BlobStore store = BlobStores.create(azureConfig("created", create), dataDir)) {
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void wrongKeyIsAccessDeniedNamingTheKeys() {
        String wrongKey = "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=";
        assertThatThrownBy(() -> BlobStores.create(
                azureConfig("guarded", Map.of("wavestore.blob.azure.account-key", wrongKey)), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining("wavestore.blob.azure.account-key")
                .hasMessageNotContaining(wrongKey);
    }

    @Test
    void unreachableEndpointNamesTheSetting() throws IOException {
        int closedPort = FreePorts.onLoopback();
        assertThatThrownBy(() -> BlobStores.create(azureConfig("apps", Map.of(
                "wavestore.blob.azure.endpoint", "http://127.0.0.1:" + closedPort + "/devstoreaccount1")), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wavestore.blob.azure.endpoint")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining(SERVER.get().accountKey());
    }
}
