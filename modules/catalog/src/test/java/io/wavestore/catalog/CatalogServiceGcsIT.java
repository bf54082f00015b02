package io.wavestore.catalog;

import com.typesafe.config.ConfigFactory;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog on a real PostgreSQL with blobs in a real GCS JSON API server (fake-gcs-server), configured as a user would. */
@ExtendWith(PostgresExtension.class)
class CatalogServiceGcsIT extends CatalogServiceContract {

    private static FakeGcsServer gcs;
    private final TestDatabase database;

    CatalogServiceGcsIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    static void startGcs() {
        gcs = FakeGcsServer.start();
    }

    @AfterAll
    static void stopGcs() {
        gcs.close();
    }

    @Override
    BlobStore newBlobStore(Path tmp) {
        return BlobStores.create(ConfigFactory.parseMap(Map.of(
                        "type", "gcs",
                        "gcs.endpoint", gcs.endpoint().toString(),
                        "gcs.anonymous", "true",
                        "gcs.bucket", "catalog-" + UUID.randomUUID().toString().substring(0, 8),
                        "gcs.create-bucket", "true"))
                .withFallback(ConfigFactory.defaultReference().getConfig(BlobStores.CONFIG_PATH)), tmp);
    }

    @Override
    TestDatabase testDatabase() {
        return database;
    }
}
