package io.wavestore.catalog;

import com.typesafe.config.ConfigFactory;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog on a real PostgreSQL with blobs in a real S3 protocol server, configured as a user would. */
@ExtendWith(PostgresExtension.class)
class CatalogServiceS3IT extends CatalogServiceContract {

    private static S3Server s3;
    private final TestDatabase database;

    CatalogServiceS3IT(TestDatabase database) {
        this.database = database;
    }

    @BeforeAll
    static void startS3() {
        s3 = S3Server.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Override
    BlobStore newBlobStore(Path tmp) {
        return BlobStores.create(ConfigFactory.parseMap(Map.of(
                        "type", "s3",
                        "s3.endpoint", s3.endpoint().toString(),
                        "s3.region", s3.region(),
                        "s3.bucket", "catalog-" + UUID.randomUUID().toString().substring(0, 8),
                        "s3.access-key", s3.accessKey(),
                        "s3.secret-key", s3.secretKey(),
                        "s3.path-style", "true",
                        "s3.create-bucket", "true"))
                .withFallback(ConfigFactory.defaultReference().getConfig(BlobStores.CONFIG_PATH)), tmp);
    }

    @Override
    TestDatabase testDatabase() {
        return database;
    }
}
