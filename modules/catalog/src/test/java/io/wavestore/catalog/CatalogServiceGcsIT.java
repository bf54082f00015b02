package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.ServerPerClass;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in fake-gcs-server (GCS), configured as a user would. */
class CatalogServiceGcsIT extends CatalogServiceContract {

    @RegisterExtension
    static final ServerPerClass<FakeGcsServer> SERVER = new ServerPerClass<>(FakeGcsServer::start);

    @Override
    BlobStore newBlobStore(Path tmp) {
        return configuredBlobStore(SERVER.get().blobSettings(freshBucket(), true), tmp);
    }
}
