package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStores#create} with type = s3 against a real S3 endpoint. */
class BlobStoresIT {

    @RegisterExtension
    static final ServerPerClass<S3Server> SERVER = new ServerPerClass<>(S3Server::start);

    @TempDir
    Path dataDir;

    private static Config s3Config(String bucket, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(SERVER.get().blobSettings(bucket, false));
        settings.putAll(overrides);
        return BlobStoresTest.blobConfig(settings);
    }

    @Test
    void createsAWorkingS3StoreOnAnExistingBucket() throws IOException {
        SERVER.get().createBucket("existing");
        try (BlobStore store = BlobStores.create(s3Config("existing", Map.of("wavestore.blob.s3.prefix", "ws")), dataDir)) {
            assertThat(store).isInstanceOf(S3BlobStore.class);
            BlobPut put = store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.exists(put.digest())).isTrue();
            assertThat(store.describe()).contains("s3://existing/ws/").doesNotContain(SERVER.get().secretKey());
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
        SERVER.get().createBucket("guarded");
        assertThatThrownBy(() -> BlobStores.create(
                s3Config("guarded", Map.of("wavestore.blob.s3.secret-key", "wrong-secret")), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining("wavestore.blob.s3.secret-key")
                .hasMessageNotContaining("wrong-secret");
    }
}
