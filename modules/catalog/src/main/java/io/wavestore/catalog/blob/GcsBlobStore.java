package io.wavestore.catalog.blob;

import com.google.cloud.BaseServiceException;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Blobs as objects {@code <prefix>sha256/<digest>} in one Google Cloud Storage bucket, through the client's
 * HTTP/JSON transport.
 *
 * <p>A put hashes the file first (the name is its SHA-256, and its MD5 goes along), asks whether the object
 * is already there, and otherwise streams it in a resumable upload of {@value #CHUNK_SIZE}-byte chunks with
 * {@code ifGenerationMatch=0} (never overwrite) and the MD5, which the service checks against the bytes it
 * stored, so a file that changed after hashing is refused. Of two replicas racing to store the same content,
 * one gets {@code created = true}. Each upload carries a random put id as metadata, so an upload the client
 * retried after a lost response, whose retry then meets the object its first attempt stored, still reports
 * {@code created = true}.
 *
 * <p>Takes a client configured by {@link GcsBlobStores}; throttling (429, 503) is retried with exponential
 * backoff by that client's retry settings (the conditional upload is idempotent, so it is retried too).
 * {@link #close()} closes the client.
 */
public final class GcsBlobStore extends ObjectBlobStore {

    static final int CHUNK_SIZE = 8 * 1024 * 1024;
    private static final int READ_CHUNK_SIZE = 4 * 1024 * 1024;
    private static final String PUT_ID = "wavestore-put-id";

    private final Storage storage;
    private final String bucket;

    /** @param prefix prepended to every object name; normalised like the S3 store's */
    public GcsBlobStore(Storage storage, String bucket, String prefix) {
        super(prefix);
        this.storage = storage;
        this.bucket = requireBucket(bucket, "A GCS blob store needs a bucket");
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public BlobPut put(Path file) throws IOException {
        MessageDigest sha256 = BlobDigests.newSha256();
        MessageDigest md5 = md5();
        long size = FileHashes.update(file, sha256, md5);
        String digest = BlobDigests.hex(sha256.digest());
        if (exists(digest)) {
            return new BlobPut(digest, size, false);
        }
        String name = nameOf(digest);
        String putId = UUID.randomUUID().toString();
        // Google's BlobInfo, not ours: the object's name and metadata.
        com.google.cloud.storage.BlobInfo info = com.google.cloud.storage.BlobInfo.newBuilder(BlobId.of(bucket, name))
                .setContentType("application/octet-stream")
                .setMd5(Base64.getEncoder().encodeToString(md5.digest()))
                .setMetadata(Map.of(PUT_ID, putId))
                .build();
        try {
            storage.createFrom(info, file, CHUNK_SIZE, BlobWriteOption.doesNotExist(), BlobWriteOption.md5Match(),
                    BlobWriteOption.disableGzipContent());
            return new BlobPut(digest, size, true);
        } catch (StorageException e) {
            if (e.getCode() == 412) {
                return new BlobPut(digest, size, storedPutId(name).map(putId::equals).orElse(false));
            }
            throw failure("upload", name, e);
        } catch (BaseServiceException e) {
            throw failure("upload", name, e);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has MD5", e);
        }
    }

    // The put id of the stored object; empty when there is none. An object stored by something else has an
    // id that matches no put.
    private Optional<String> storedPutId(String name) throws IOException {
        return call("read the metadata of", name, () -> {
            Blob blob = storage.get(BlobId.of(bucket, name), BlobGetOption.fields(BlobField.METADATA));
            if (blob == null) {
                return Optional.empty();
            }
            Map<String, String> metadata = blob.getMetadata();
            return Optional.of(metadata == null ? "" : metadata.getOrDefault(PUT_ID, ""));
        });
    }

    @Override
    public Optional<BlobContent> open(String digest) throws IOException {
        String name = nameOf(digest);
        return call("open", name, () -> {
            Blob blob = storage.get(BlobId.of(bucket, name),
                    BlobGetOption.fields(BlobField.SIZE, BlobField.GENERATION));
            if (blob == null) {
                return Optional.empty();
            }
            // Read the generation just looked at, so the size always describes the bytes that follow.
            ReadChannel reader = storage.reader(BlobId.of(bucket, name, blob.getGeneration()));
            reader.setChunkSize(READ_CHUNK_SIZE);
            return Optional.of(new BlobContent(blob.getSize(), Channels.newInputStream(reader)));
        });
    }

    @Override
    public boolean exists(String digest) throws IOException {
        String name = nameOf(digest);
        return call("check", name,
                () -> storage.get(BlobId.of(bucket, name), BlobGetOption.fields(BlobField.NAME)) != null);
    }

    @Override
    public void delete(String digest) throws IOException {
        String name = nameOf(digest);
        call("delete", name, () -> storage.delete(BlobId.of(bucket, name))); // false when it was not there: fine
    }

    @Override
    public List<BlobInfo> list() throws IOException {
        return call("list", blobPrefix(), () -> blobsAmong(storage.list(bucket, BlobListOption.prefix(blobPrefix()),
                        BlobListOption.fields(BlobField.NAME, BlobField.SIZE, BlobField.UPDATED)).iterateAll(),
                Blob::getName, Blob::getSize, blob -> Instant.ofEpochMilli(blob.getUpdateTime())));
    }

    @Override
    public String describe() {
        return "GCS blob store at gs://" + bucket + "/" + prefix() + " (" + storage.getOptions().getHost() + ")";
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // nothing held that outlives the process
        }
    }

    // One call to GCS; any failure it reports becomes an IOException that names the operation and the object.
    private <T> T call(String operation, String name, Supplier<T> call) throws IOException {
        return serviceCall(BaseServiceException.class, e -> failure(operation, name, e), call);
    }

    private IOException failure(String operation, String name, BaseServiceException e) {
        return new IOException("GCS could not " + operation + " gs://" + bucket + "/" + name + ": HTTP " + e.getCode()
                + " " + e.getMessage(), e);
    }
}
