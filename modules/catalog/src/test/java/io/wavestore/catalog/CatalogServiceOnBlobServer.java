package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.testkit.BlobServer;
import io.wavestore.testkit.ServerPerClass;
import java.nio.file.Path;

/** The catalog contract with blobs on a blob server the subclass starts: a fresh bucket for every store. */
abstract class CatalogServiceOnBlobServer extends CatalogServiceContract {

    private final ServerPerClass<? extends BlobServer> server;

    CatalogServiceOnBlobServer(ServerPerClass<? extends BlobServer> server) {
        this.server = server;
    }

    @Override
    BlobStore newBlobStore(Path tmp) {
        return configuredBlobStore(server.get().blobSettings(freshBucket(), true), tmp);
    }
}
