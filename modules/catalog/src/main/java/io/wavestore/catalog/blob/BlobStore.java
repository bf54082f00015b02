package io.wavestore.catalog.blob;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed storage for {@code .wave} bundles and the images extracted from them.
 *
 * <p>A blob is named by the lowercase hex SHA-256 of its bytes, so storing the same content twice
 * stores it once, and a name always means the same bytes. PostgreSQL keeps only these digests.
 * Every method validates its digest with {@link BlobDigests#requireValid(String)}: a malformed
 * digest is an {@link IllegalArgumentException}, never a path or key.
 *
 * <p>All methods block on I/O: call them from a dispatcher meant for blocking work.
 */
public interface BlobStore extends AutoCloseable {

    /**
     * Stores the content of {@code file} under its SHA-256 digest. Idempotent: when a blob with
     * that digest already exists it is not rewritten and {@link BlobPut#created()} is false.
     */
    BlobPut put(Path file) throws IOException;

    /** Opens the blob for reading, or empty when there is no blob with this digest. */
    Optional<BlobContent> open(String digest) throws IOException;

    boolean exists(String digest) throws IOException;

    /** Deletes the blob; deleting a blob that is not there is not an error. */
    void delete(String digest) throws IOException;

    /** Every stored blob, in no particular order; used to collect blobs no row points to. */
    List<BlobInfo> list() throws IOException;

    /** Where the blobs live, for logs; never contains a secret. */
    String describe();

    /** Releases clients held by this store; the blobs stay. */
    @Override
    default void close() {
    }
}
