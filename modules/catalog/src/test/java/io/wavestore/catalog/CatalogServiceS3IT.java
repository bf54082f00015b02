package io.wavestore.catalog;

import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.ServerPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The catalog on a real PostgreSQL with blobs in an S3 protocol server (s3proxy), configured as a user would. */
class CatalogServiceS3IT extends CatalogServiceOnBlobServer {

    @RegisterExtension
    static final ServerPerClass<S3Server> SERVER = new ServerPerClass<>(S3Server::start);

    CatalogServiceS3IT() {
        super(SERVER);
    }
}
