package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStores#create} with type = gcs against a real GCS JSON API endpoint (fake-gcs-SERVER.get()). */
class GcsBlobStoresIT {

    @RegisterExtension
    static final ServerPerClass<FakeGcsServer> SERVER = new ServerPerClass<>(FakeGcsServer::start);

    @TempDir
    Path dataDir;

    /** A tenth of the store's default: the tests count the attempts and read the errors, the waits only cost time. */
    static final String RETRY_DELAY = "50ms";

    private static Config gcsConfig(String bucket, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(SERVER.get().blobSettings(bucket, false));
        settings.put("wavestore.blob.gcs.retry-delay", RETRY_DELAY);
        settings.putAll(overrides);
        return BlobStoresTest.blobConfig(settings);
    }

    @Test
    void missingBucketIsAnErrorUnlessCreateBucket() throws IOException {
        assertThatThrownBy(() -> BlobStores.create(gcsConfig("absent", Map.of()), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'absent' at " + SERVER.get().endpoint())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("wavestore.blob.gcs.create-bucket");

        Map<String, Object> create = Map.of("wavestore.blob.gcs.create-bucket", true,
                "wavestore.blob.gcs.prefix", "ws");
        try (BlobStore store = BlobStores.create(gcsConfig("created", create), dataDir)) {
            assertThat(store).isInstanceOf(GcsBlobStore.class);
            BlobPut put = store.put(Files.writeString(dataDir.resolve("f"), "content"));
            assertThat(store.exists(put.digest())).isTrue();
            assertThat(store.describe()).contains("gs://created/ws/");
        }
        // and again, now that it exists
        try (BlobStore store = BlobStores.create(gcsConfig("created", create), dataDir)) {
            assertThat(store.list()).hasSize(1);
        }
    }

    @Test
    void refusedServiceAccountCredentialsNameTheSetting() throws Exception {
        // The key's token endpoint refuses it, as Google's does for a deleted or revoked key.
        HttpServer tokenEndpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tokenEndpoint.createContext("/token", exchange -> {
            byte[] body = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tokenEndpoint.start();
        try {
            Path key = serviceAccountKey("http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/token");
            Config config = gcsConfig("guarded", Map.of("wavestore.blob.gcs.anonymous", false,
                    "wavestore.blob.gcs.credentials-file", key.toString()));
            assertThatThrownBy(() -> BlobStores.create(config, dataDir))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'guarded'")
                    .hasMessageContaining("wavestore.blob.gcs.credentials-file")
                    .hasMessageNotContaining("PRIVATE KEY");
        } finally {
            tokenEndpoint.stop(0);
        }
    }

    // A service account key file of the form Google issues, with a fresh RSA key and the given token endpoint.
    private Path serviceAccountKey(String tokenUri) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        String json = """
                {"type": "service_account", "project_id": "wavestore-test", "private_key_id": "k1",
                 "private_key": "%s", "client_email": "store@wavestore-test.iam.gserviceaccount.com",
                 "client_id": "1", "token_uri": "%s"}
                """.formatted(pem, tokenUri);
        return Files.writeString(dataDir.resolve("service-account.json"), json);
    }

    @Test
    void unreachableEndpointNamesTheSetting() throws IOException {
        int closedPort = FreePorts.onLoopback();
        assertThatThrownBy(() -> BlobStores.create(gcsConfig("apps", Map.of(
                "wavestore.blob.gcs.endpoint", "http://127.0.0.1:" + closedPort)), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wavestore.blob.gcs.endpoint")
                .hasMessageContaining("127.0.0.1:" + closedPort);
    }
}
