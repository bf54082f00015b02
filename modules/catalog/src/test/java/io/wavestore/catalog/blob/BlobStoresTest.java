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
        assertThat(defaults.getString("s3.region")).isEqualTo("us-east-1");
        for (String setting : new String[] {"filesystem.dir", "s3.endpoint", "s3.bucket", "s3.prefix", "s3.access-key",
                "s3.secret-key"}) {
            assertThat(defaults.getString(setting)).as(setting).isEmpty();
        }
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
        Map<String, String> wiring = Map.of(
                "WAVESTORE_BLOB_TYPE", "type",
                "WAVESTORE_BLOB_DIR", "filesystem.dir",
                "WAVESTORE_S3_ENDPOINT", "s3.endpoint",
                "WAVESTORE_S3_REGION", "s3.region",
                "WAVESTORE_S3_BUCKET", "s3.bucket",
                "WAVESTORE_S3_PREFIX", "s3.prefix",
                "WAVESTORE_S3_ACCESS_KEY", "s3.access-key",
                "WAVESTORE_S3_SECRET_KEY", "s3.secret-key",
                "WAVESTORE_S3_PATH_STYLE", "s3.path-style",
                "WAVESTORE_S3_CREATE_BUCKET", "s3.create-bucket");
        assertThat(ModuleReference.settingsSetBy(BlobStores.class, "wavestore.blob", wiring.keySet())).isEqualTo(wiring);
    }

    @Test
    void objectStoresRefuseABlankBucket() {
        assertThatThrownBy(() -> new S3BlobStore(null, " ", "")).hasMessage("An S3 blob store needs a bucket");
        assertThatThrownBy(() -> new GcsBlobStore(null, null, "")).hasMessage("A GCS blob store needs a bucket");
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
