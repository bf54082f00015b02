package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.ServerPerClass;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in an S3 protocol server (s3proxy), configured as a user would. */
class CatalogServiceS3IT extends CatalogServiceContract {

    @RegisterExtension
    static final ServerPerClass<S3Server> SERVER = new ServerPerClass<>(S3Server::start);

    @Override
    BlobStore newBlobStore(Path tmp) {
        return configuredBlobStore(SERVER.get().blobSettings(freshBucket(), true), tmp);
    }
}
