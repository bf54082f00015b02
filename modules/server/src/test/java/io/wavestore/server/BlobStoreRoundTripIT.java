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
import io.wavestore.testkit.ServerPerClass;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
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

    @RegisterExtension
    static final ServerPerClass<S3Server> S3 = new ServerPerClass<>(S3Server::start);
    @RegisterExtension
    static final ServerPerClass<AzuriteServer> AZURITE = new ServerPerClass<>(AzuriteServer::start);
    @RegisterExtension
    static final ServerPerClass<FakeGcsServer> GCS = new ServerPerClass<>(FakeGcsServer::start);

    @TempDir
    Path dataDir;

    private final TestDatabase database;

    BlobStoreRoundTripIT(TestDatabase database) {
        this.database = database;
    }

    private static Map<String, Object> blobSettings(String type) {
        String bucket = "round-trip-" + type;
        return switch (type) {
            case "s3" -> S3.get().blobSettings(bucket, true);
            // the connection-string form of the Azure settings, which the other Azure tests do not take
            case "azure" -> Map.of(
                    "wavestore.blob.type", "azure",
                    "wavestore.blob.azure.connection-string", AZURITE.get().connectionString(),
                    "wavestore.blob.azure.container", bucket,
                    "wavestore.blob.azure.create-container", true);
            case "gcs" -> GCS.get().blobSettings(bucket, true);
            default -> Map.of("wavestore.blob.type", type); // filesystem: the data directory's blobs/
        };
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
