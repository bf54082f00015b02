package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.wavestore.testkit.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStores#create} with type = s3 against a real S3 endpoint. */
class BlobStoresIT {

    private static S3Server server;

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startS3() {
        server = S3Server.start();
    }

    @AfterAll
    static void stopS3() {
        server.close();
    }

    private static Config s3Config(String bucket, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "wavestore.blob.type", "s3",
                "wavestore.blob.s3.endpoint", server.endpoint().toString(),
                "wavestore.blob.s3.region", server.region(),
                "wavestore.blob.s3.bucket", bucket,
                "wavestore.blob.s3.access-key", server.accessKey(),
                "wavestore.blob.s3.secret-key", server.secretKey(),
                "wavestore.blob.s3.path-style", true));
        settings.putAll(overrides);
        return BlobStoresTest.blobConfig(settings);
    }

    @Test
    void createsAWorkingS3StoreOnAnExistingBucket() throws IOException {
        server.createBucket("existing");
        try (BlobStore store = BlobStores.create(s3Config("existing", Map.of("wavestore.blob.s3.prefix", "ws")), dataDir)) {
            assertThat(store).isInstanceOf(S3BlobStore.class);
            BlobPut put = store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.exists(put.digest())).isTrue();
            assertThat(store.describe()).contains("s3://existing/ws/").doesNotContain(server.secretKey());
        }
    }

    @Test
    void missingBucketIsAnErrorUnlessCreateBucket() throws IOException {
        assertThatThrownBy(() -> BlobStores.create(s3Config("absent", Map.of()), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'absent' does not exist")
                .hasMessageContaining("wavestore.blob.s3.create-bucket");

        try (BlobStore store = BlobStores.create(
                s3Config("created", Map.of("wavestore.blob.s3.create-bucket", true)), dataDir)) {
            store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.list()).hasSize(1);
        }
        // and again, now that it exists
        try (BlobStore store = BlobStores.create(
                s3Config("created", Map.of("wavestore.blob.s3.create-bucket", true)), dataDir)) {
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void wrongSecretIsAccessDeniedNamingTheKeys() {
        server.createBucket("guarded");
        assertThatThrownBy(() -> BlobStores.create(
                s3Config("guarded", Map.of("wavestore.blob.s3.secret-key", "wrong-secret")), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining("wavestore.blob.s3.secret-key")
                .hasMessageNotContaining("wrong-secret");
    }
}
