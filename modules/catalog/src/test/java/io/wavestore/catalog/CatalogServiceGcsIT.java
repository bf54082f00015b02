package io.wavestore.catalog;

import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.ServerPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in fake-gcs-server (GCS), configured as a user would. */
class CatalogServiceGcsIT extends CatalogServiceOnBlobServer {

    @RegisterExtension
    static final ServerPerClass<FakeGcsServer> SERVER = new ServerPerClass<>(FakeGcsServer::start);

    CatalogServiceGcsIT() {
        super(SERVER);
    }
}
