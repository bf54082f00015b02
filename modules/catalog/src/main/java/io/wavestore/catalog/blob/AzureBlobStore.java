package io.wavestore.catalog.blob;

import com.azure.core.exception.AzureException;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.ParallelTransferOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.BlobInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Blobs as block blobs {@code <prefix>sha256/<digest>} in one Azure Blob Storage container.
 *
 * <p>A put hashes the file first (the name is its digest), asks whether the blob is already there, and
 * otherwise uploads it with {@code If-None-Match: *}, so a blob is never overwritten: of two replicas racing
 * to store the same content, one gets {@code created = true}. The file is streamed in blocks of
 * {@value #BLOCK_SIZE} bytes (at most {@value #CONCURRENCY} in flight), each with a transactional MD5 the
 * service checks; the SHA-256 of the bytes actually sent is compared with the name afterwards, and a blob
 * whose bytes do not match its name is deleted again. Each upload carries a random put id as metadata, so
 * an upload the SDK retried after a lost response, whose retry then meets the blob its first attempt
 * stored, still reports {@code created = true}.
 *
 * <p>Takes a container client configured by {@link AzureBlobStores}; throttling (429, 503) is retried with
 * exponential backoff by that client's retry policy.
 */
public final class AzureBlobStore extends ObjectBlobStore {

    static final int BLOCK_SIZE = 8 * 1024 * 1024;
    static final int CONCURRENCY = 4;
    private static final int READ_BLOCK_SIZE = 4 * 1024 * 1024;
    // Metadata naming the put that stored a blob (x-ms-meta-wavestoreputid); Azure metadata names are C# identifiers.
    private static final String PUT_ID = "wavestoreputid";

    private final BlobContainerClient container;

    /** @param prefix prepended to every blob name; normalised like the S3 store's */
    public AzureBlobStore(BlobContainerClient container, String prefix) {
        super(prefix);
        this.container = container;
    }

    public String container() {
        return container.getBlobContainerName();
    }

    @Override
    public BlobPut put(Path file) throws IOException {
        MessageDigest sha256 = BlobDigests.newSha256();
        long size = FileHashes.update(file, sha256);
        String digest = BlobDigests.hex(sha256.digest());
        if (exists(digest)) {
            return new BlobPut(digest, size, false);
        }
        String name = nameOf(digest);
        String putId = UUID.randomUUID().toString();
        MessageDigest sent = BlobDigests.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sent)) {
            BlobParallelUploadOptions options = new BlobParallelUploadOptions(in, size)
                    .setParallelTransferOptions(new ParallelTransferOptions()
                            .setBlockSizeLong((long) BLOCK_SIZE)
                            .setMaxSingleUploadSizeLong((long) BLOCK_SIZE)
                            .setMaxConcurrency(CONCURRENCY))
                    .setHeaders(new BlobHttpHeaders().setContentType("application/octet-stream"))
                    .setMetadata(Map.of(PUT_ID, putId))
                    .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*"))
                    .setComputeMd5(true);
            container.getBlobClient(name).uploadWithResponse(options, null, null);
        } catch (BlobStorageException e) {
            if (isAlreadyThere(e)) {
                return new BlobPut(digest, size, storedPutId(name).map(putId::equals).orElse(false));
            }
            throw failure("upload", name, e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (AzureException e) {
            throw failure("upload", name, e);
        }
        if (!BlobDigests.hex(sent.digest()).equals(digest)) {
            delete(digest);
            throw new IOException("The file " + file + " changed while it was stored as " + describe() + "/" + name
                    + "; the blob was removed again");
        }
        return new BlobPut(digest, size, true);
    }

    private static boolean isAlreadyThere(BlobStorageException e) {
        return e.getStatusCode() == 409 && BlobErrorCode.BLOB_ALREADY_EXISTS.equals(e.getErrorCode())
                || e.getStatusCode() == 412;
    }

    // The put id of the stored blob; empty when there is none. A blob stored by something else has an id
    // that matches no put.
    private Optional<String> storedPutId(String name) throws IOException {
        return call("read the properties of", name, absentAs(Optional.empty(), AzureBlobStore::isAbsent, () -> {
            Map<String, String> metadata = container.getBlobClient(name).getProperties().getMetadata();
            return Optional.of(metadata == null ? "" : metadata.getOrDefault(PUT_ID, ""));
        }));
    }

    @Override
    public Optional<BlobContent> open(String digest) throws IOException {
        String name = nameOf(digest);
        return call("open", name, absentAs(Optional.empty(), AzureBlobStore::isAbsent, () -> {
            BlobInputStream stream = container.getBlobClient(name)
                    .openInputStream(new BlobInputStreamOptions().setBlockSize(READ_BLOCK_SIZE));
            return Optional.of(new BlobContent(stream.getProperties().getBlobSize(), stream));
        }));
    }

    @Override
    public boolean exists(String digest) throws IOException {
        String name = nameOf(digest);
        return call("check", name, () -> container.getBlobClient(name).exists());
    }

    @Override
    public void delete(String digest) throws IOException {
        String name = nameOf(digest);
        call("delete", name, () -> container.getBlobClient(name).deleteIfExists());
    }

    @Override
    public List<BlobInfo> list() throws IOException {
        return call("list", blobPrefix(), () -> blobsAmong(
                container.listBlobs(new ListBlobsOptions().setPrefix(blobPrefix()), null),
                BlobItem::getName, item -> item.getProperties().getContentLength(),
                item -> item.getProperties().getLastModified().toInstant()));
    }

    // One call to Azure; any failure it reports becomes an IOException that names the operation and the blob.
    private <T> T call(String operation, String name, Supplier<T> call) throws IOException {
        return serviceCall(AzureException.class, e -> failure(operation, name, e), call);
    }

    private static boolean isAbsent(RuntimeException e) {
        return e instanceof BlobStorageException storage && storage.getStatusCode() == 404;
    }

    @Override
    public String describe() {
        return "Azure blob store at " + container.getBlobContainerUrl() + "/" + prefix();
    }

    private IOException failure(String operation, String name, AzureException e) {
        String reason = e instanceof BlobStorageException storage
                ? "HTTP " + storage.getStatusCode() + " " + storage.getErrorCode()
                : e.getMessage();
        return new IOException("Azure could not " + operation + " " + container() + "/" + name + ": " + reason, e);
    }
}
