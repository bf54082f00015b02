package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same round trip through a whole store on each kind of blob storage: upload the example app, start an
 * instance (its launcher downloads the bundle from the store, which reads it from the blobs), terminate it,
 * delete the app version, and find its blobs gone. Every server is real and on loopback: a directory, S3
 * (s3proxy), Azure Blob Storage (Azurite), Google Cloud Storage (fake-gcs-server).
 */
@ExtendWith(PostgresExtension.class)
class BlobStoreRoundTripIT {

    private static S3Server s3;
    private static AzuriteServer azurite;
    private static FakeGcsServer gcs;

    @TempDir
    Path dataDir;

    private final TestDatabase database;

    BlobStoreRoundTripIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    static void startServers() {
        s3 = S3Server.start();
        azurite = AzuriteServer.start();
        gcs = FakeGcsServer.start();
    }

    @AfterAll
    static void stopServers() {
        gcs.close();
        azurite.close();
        s3.close();
    }

    private static Map<String, Object> blobSettings(String type) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("wavestore.blob.type", type);
        String bucket = "round-trip-" + type;
        switch (type) {
            case "s3" -> {
                settings.put("wavestore.blob.s3.endpoint", s3.endpoint().toString());
                settings.put("wavestore.blob.s3.region", s3.region());
                settings.put("wavestore.blob.s3.bucket", bucket);
                settings.put("wavestore.blob.s3.access-key", s3.accessKey());
                settings.put("wavestore.blob.s3.secret-key", s3.secretKey());
                settings.put("wavestore.blob.s3.path-style", true);
                settings.put("wavestore.blob.s3.create-bucket", true);
            }
            case "azure" -> {
                settings.put("wavestore.blob.azure.connection-string", azurite.connectionString());
                settings.put("wavestore.blob.azure.container", bucket);
                settings.put("wavestore.blob.azure.create-container", true);
            }
            case "gcs" -> {
                settings.put("wavestore.blob.gcs.endpoint", gcs.endpoint().toString());
                settings.put("wavestore.blob.gcs.anonymous", true);
                settings.put("wavestore.blob.gcs.bucket", bucket);
                settings.put("wavestore.blob.gcs.create-bucket", true);
            }
            default -> {
                // filesystem: the data directory's blobs/
            }
        }
        return settings;
    }

    @ParameterizedTest
    @ValueSource(strings = {"filesystem", "s3", "azure", "gcs"})
    void uploadStartAndDeleteRoundTrip(String type) throws Exception {
        int port = TestStoreConfig.freePort();
        Config config = TestStoreConfig.local(dataDir, port, database, blobSettings(type));
        Path wave = dataDir.resolve("hello-wave.wave");
        BundlePacker.pack(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), wave);

        try (Wavestore store = Wavestore.start(config);
             BlobStore blobs = BlobStores.create(config.getConfig(BlobStores.CONFIG_PATH), dataDir)) {
            assertThat(blobs.describe()).containsIgnoringCase(type.equals("filesystem") ? "blobs" : type);
            StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + port));
            HttpResponse<String> uploaded = client.upload("/api/v1/apps?visibility=ALL_USERS", wave);
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            assertThat(blobs.list()).isNotEmpty(); // the bundle and its images

            HttpResponse<String> started = client.send("POST", "/api/v1/instances",
                    "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            String id = StoreClient.json(started).get("id").asText();
            JsonNode running = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"),
                    LocalInstancesIT.READY_WITHIN);
            assertThat(running.get("ready").asBoolean()).isTrue();

            assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
            assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
            HttpResponse<String> deleted = client.send("DELETE", "/api/v1/apps/io.wavestore.hello-wave/0.1.0", null);
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(blobs.list()).as("the version's blobs are deleted with it").isEmpty();
        }
    }
}
