package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.FilesystemBlobStore;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;

/** The catalog on a real PostgreSQL with blobs on the filesystem (the embedded default). */
@ExtendWith(PostgresExtension.class)
class CatalogServiceFilesystemIT extends CatalogServiceContract {

    private final TestDatabase database;

    CatalogServiceFilesystemIT(TestDatabase database) {
        this.database = database;
    }

    @Override
    BlobStore newBlobStore(Path tmp) {
        return new FilesystemBlobStore(tmp.resolve("blobs"));
    }

    @Override
    TestDatabase testDatabase() {
        return database;
    }
}
