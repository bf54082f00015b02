package io.wavestore.catalog;

import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.ServerPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in Azurite (Azure Blob Storage), configured as a user would. */
class CatalogServiceAzureIT extends CatalogServiceOnBlobServer {

    @RegisterExtension
    static final ServerPerClass<AzuriteServer> SERVER = new ServerPerClass<>(AzuriteServer::start);

    CatalogServiceAzureIT() {
        super(SERVER);
    }
}
