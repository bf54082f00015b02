package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.ServerPerClass;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in Azurite (Azure Blob Storage), configured as a user would. */
class CatalogServiceAzureIT extends CatalogServiceContract {

    @RegisterExtension
    static final ServerPerClass<AzuriteServer> SERVER = new ServerPerClass<>(AzuriteServer::start);

    @Override
    BlobStore newBlobStore(Path tmp) {
        return configuredBlobStore(SERVER.get().blobSettings(freshBucket(), true), tmp);
    }
}
