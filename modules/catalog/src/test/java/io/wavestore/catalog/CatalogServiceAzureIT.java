package io.wavestore.catalog;

import com.typesafe.config.ConfigFactory;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog on a real PostgreSQL with blobs in a real Azure Blob Storage server (Azurite), configured as a user would. */
@ExtendWith(PostgresExtension.class)
class CatalogServiceAzureIT extends CatalogServiceContract {

    private static AzuriteServer azurite;
    private final TestDatabase database;

    CatalogServiceAzureIT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    static void startAzurite() {
        azurite = AzuriteServer.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    @Override
    BlobStore newBlobStore(Path tmp) {
        return BlobStores.create(ConfigFactory.parseMap(Map.of(
                        "type", "azure",
                        "azure.endpoint", azurite.endpoint().toString(),
                        "azure.container", "catalog-" + UUID.randomUUID().toString().substring(0, 8),
                        "azure.account-name", azurite.accountName(),
                        "azure.account-key", azurite.accountKey(),
                        "azure.create-container", "true"))
                .withFallback(ConfigFactory.defaultReference().getConfig(BlobStores.CONFIG_PATH)), tmp);
    }

    @Override
    TestDatabase testDatabase() {
        return database;
    }
}
