package io.wavestore.catalog;

import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.FilesystemBlobStore;
import java.nio.file.Path;

/** The catalog on a real PostgreSQL with blobs on the filesystem (the embedded default). */
class CatalogServiceFilesystemIT extends CatalogServiceContract {

    @Override
    BlobStore newBlobStore(Path tmp) {
        return new FilesystemBlobStore(tmp.resolve("blobs"));
    }
}
