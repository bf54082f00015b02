package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.ModuleReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlobStoresTest {

    @TempDir
    Path dataDir;

    static Config blobConfig(Map<String, ?> settings) {
        return ConfigFactory.parseMap(settings)
                .withFallback(ConfigFactory.defaultReference())
                .resolve()
                .getConfig("wavestore.blob");
    }

    /** The catalog module's own reference.conf, without those of its dependencies. */
    static Config catalogReference() {
        return ConfigFactory.parseURL(ModuleReference.of(BlobStores.class));
    }

    @Test
    void referenceDefaultsAreAFilesystemStoreInTheDataDir() {
        Config defaults = catalogReference().resolve().getConfig("wavestore.blob");
        assertThat(defaults.getString("type")).isEqualTo("filesystem");
        assertThat(defaults.getString("filesystem.dir")).isEmpty();
        assertThat(defaults.getString("s3.endpoint")).isEmpty();
        assertThat(defaults.getString("s3.region")).isEqualTo("us-east-1");
        assertThat(defaults.getString("s3.bucket")).isEmpty();
        assertThat(defaults.getString("s3.prefix")).isEmpty();
        assertThat(defaults.getString("s3.access-key")).isEmpty();
        assertThat(defaults.getString("s3.secret-key")).isEmpty();
        assertThat(defaults.getBoolean("s3.path-style")).isFalse();
        assertThat(defaults.getBoolean("s3.create-bucket")).isFalse();

        try (BlobStore store = BlobStores.create(defaults, dataDir)) {
            assertThat(store).isInstanceOf(FilesystemBlobStore.class);
            assertThat(((FilesystemBlobStore) store).root()).isEqualTo(dataDir.resolve("blobs").toAbsolutePath());
            assertThat(dataDir.resolve("blobs")).isDirectory();
        }
    }

    @Test
    void filesystemDirOverridesTheDataDir(@TempDir Path elsewhere) {
        Config config = blobConfig(Map.of("wavestore.blob.filesystem.dir", elsewhere.toString()));
        try (BlobStore store = BlobStores.create(config, dataDir)) {
            assertThat(((FilesystemBlobStore) store).root()).isEqualTo(elsewhere.toAbsolutePath());
        }
    }

    @Test
    void environmentOverridesAreWired() {
        Config withEnv = catalogReference()
                .withFallback(ConfigFactory.parseMap(Map.of(
                        "WAVESTORE_BLOB_TYPE", "s3",
                        "WAVESTORE_BLOB_DIR", "/blobs",
                        "WAVESTORE_S3_ENDPOINT", "http://minio:9000",
                        "WAVESTORE_S3_REGION", "eu-west-1",
                        "WAVESTORE_S3_BUCKET", "apps",
                        "WAVESTORE_S3_PREFIX", "store/",
                        "WAVESTORE_S3_ACCESS_KEY", "ak",
                        "WAVESTORE_S3_SECRET_KEY", "sk",
                        "WAVESTORE_S3_PATH_STYLE", "true",
                        "WAVESTORE_S3_CREATE_BUCKET", "true")))
                .resolve()
                .getConfig("wavestore.blob");
        assertThat(withEnv.getString("type")).isEqualTo("s3");
        assertThat(withEnv.getString("filesystem.dir")).isEqualTo("/blobs");
        assertThat(withEnv.getString("s3.endpoint")).isEqualTo("http://minio:9000");
        assertThat(withEnv.getString("s3.region")).isEqualTo("eu-west-1");
        assertThat(withEnv.getString("s3.bucket")).isEqualTo("apps");
        assertThat(withEnv.getString("s3.prefix")).isEqualTo("store/");
        assertThat(withEnv.getString("s3.access-key")).isEqualTo("ak");
        assertThat(withEnv.getString("s3.secret-key")).isEqualTo("sk");
        assertThat(withEnv.getBoolean("s3.path-style")).isTrue();
        assertThat(withEnv.getBoolean("s3.create-bucket")).isTrue();
    }

    @Test
    void unknownTypeNamesTheSetting() {
        assertThatThrownBy(() -> BlobStores.create(blobConfig(Map.of("wavestore.blob.type", "ftp")), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wavestore.blob.type")
                .hasMessageContaining("ftp")
                .hasMessageContaining("WAVESTORE_BLOB_TYPE");
    }

    @Test
    void s3WithoutBucketNamesTheSetting() {
        assertThatThrownBy(() -> BlobStores.create(blobConfig(Map.of("wavestore.blob.type", "s3")), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wavestore.blob.s3.bucket")
                .hasMessageContaining("WAVESTORE_S3_BUCKET");
    }

    @ParameterizedTest(name = "{0} = {1} names {2}")
    @CsvSource({
            "wavestore.blob.s3.access-key, ak, wavestore.blob.s3.secret-key", // half the credentials: the missing one
            "wavestore.blob.s3.endpoint, minio:9000, wavestore.blob.s3.endpoint"}) // not an http(s) URL
    void aWrongS3SettingNamesTheSettingToFix(String setting, String value, String named) {
        Config config = blobConfig(Map.of(
                "wavestore.blob.type", "s3",
                "wavestore.blob.s3.bucket", "apps",
                setting, value));
        assertThatThrownBy(() -> BlobStores.create(config, dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(named);
    }

    @Test
    void unreachableEndpointFailsAtStartNamingTheSetting() throws IOException {
        int closedPort = FreePorts.onLoopback();
        Config config = blobConfig(Map.of(
                "wavestore.blob.type", "s3",
                "wavestore.blob.s3.bucket", "apps",
                "wavestore.blob.s3.endpoint", "http://127.0.0.1:" + closedPort,
                "wavestore.blob.s3.path-style", true,
                "wavestore.blob.s3.access-key", "ak",
                "wavestore.blob.s3.secret-key", "the-secret-value"));
        assertThatThrownBy(() -> BlobStores.create(config, dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wavestore.blob.s3.endpoint")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("the-secret-value");
    }

    @Test
    void unwritableBlobDirectoryNamesTheSetting() throws IOException {
        Path file = java.nio.file.Files.writeString(dataDir.resolve("a-file"), "not a directory");
        Config config = blobConfig(Map.of("wavestore.blob.filesystem.dir", file.resolve("blobs").toString()));
        assertThatThrownBy(() -> BlobStores.create(config, dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wavestore.blob.filesystem.dir");
    }
}
