package io.wavestore.catalog.blob;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects {@code <prefix>sha256/<digest>} in one bucket of any S3-compatible service.
 *
 * <p>A put hashes the file first (the key is its digest), asks with HEAD whether the object is
 * already there, and otherwise PUTs it with its length and its SHA-256 checksum, so the service
 * refuses bytes that do not match the name. The PUT carries {@code If-None-Match: *}: where the
 * service supports conditional writes, two replicas racing to store the same content get one
 * {@code created = true}; where it does not, the second write replaces identical bytes and both
 * report {@code created = true}. Each PUT also carries a random put id as user metadata, so that
 * a PUT retried by the SDK after a lost response, whose retry then meets the object its first
 * attempt stored, still reports {@code created = true}.
 *
 * <p>Takes ownership of the client: {@link #close()} closes it.
 */
public final class S3BlobStore extends ObjectBlobStore {

    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    // User metadata naming the put that stored an object (x-amz-meta-wavestore-put-id).
    private static final String PUT_ID = "wavestore-put-id";

    private final S3Client client;
    private final String bucket;
    // Cleared the first time the service refuses If-None-Match, so later puts skip it.
    private volatile boolean conditionalWrites = true;

    /**
     * @param prefix prepended to every key; a non-empty prefix gets a trailing {@code /} if it
     *               has none, so {@code "wavestore"} and {@code "wavestore/"} mean the same
     */
    public S3BlobStore(S3Client client, String bucket, String prefix) {
        super(prefix);
        this.client = client;
        this.bucket = requireBucket(bucket, "An S3 blob store needs a bucket");
    }

    static String normalizePrefix(String prefix) {
        return FileHashes.normalizePrefix(prefix);
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public BlobPut put(Path file) throws IOException {
        MessageDigest sha256 = BlobDigests.newSha256();
        long size = FileHashes.update(file, sha256);
        byte[] digestBytes = sha256.digest();
        String digest = BlobDigests.hex(digestBytes);
        String key = nameOf(digest);
        if (exists(digest)) {
            return new BlobPut(digest, size, false);
        }
        String checksum = Base64.getEncoder().encodeToString(digestBytes);
        try {
            return new BlobPut(digest, size, putObject(file, key, size, checksum));
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    // True when this call created the object.
    private boolean putObject(Path file, String key, long size, String checksum) throws IOException {
        // Tags this put, so that a 412 can tell our own earlier attempt (the SDK retries a PUT whose
        // response was lost, and the retry then meets the object that attempt stored) from another writer.
        String putId = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            boolean conditional = conditionalWrites;
            PutObjectRequest.Builder request = PutObjectRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .contentLength(size)
                    .contentType("application/octet-stream")
                    .checksumSHA256(checksum)
                    .metadata(Map.of(PUT_ID, putId));
            if (conditional) {
                request.ifNoneMatch("*");
            }
            try {
                client.putObject(request.build(), RequestBody.fromFile(file));
                return true;
            } catch (S3Exception e) {
                if (conditional && (e.statusCode() == 412 || e.statusCode() == 409)) {
                    // 412: the object exists; 409: a concurrent conditional write of it is under way.
                    Optional<String> stored = storedPutId(key, e.statusCode() == 409);
                    if (stored.isPresent()) {
                        return stored.get().equals(putId);
                    }
                    if (attempt < 3) {
                        continue; // gone again (deleted meanwhile): store it after all
                    }
                    throw e;
                }
                if (conditional && refusesConditionalWrites(e)) {
                    log.info("{} does not support conditional writes; storing blobs without If-None-Match",
                            describe());
                    conditionalWrites = false;
                    continue;
                }
                throw e;
            }
        }
    }

    // The put id of the stored object; empty when there is no object. An object without one (stored
    // by something else) gets an id that matches no put. While a concurrent write is under way
    // (409), waits a little for it to finish.
    private Optional<String> storedPutId(String key, boolean waitForConcurrentWrite) throws IOException {
        int checks = waitForConcurrentWrite ? 10 : 1;
        for (int check = 1; check <= checks; check++) {
            Optional<String> stored = call("HEAD", key, absentAs(Optional.empty(), S3BlobStore::isAbsent,
                    () -> Optional.of(client.headObject(b -> b.bucket(bucket).key(key)).metadata()
                            .getOrDefault(PUT_ID, ""))));
            if (stored.isPresent()) {
                return stored;
            }
            if (check < checks) {
                sleep(Duration.ofMillis(100L * check));
            }
        }
        return Optional.empty();
    }

    private static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for a concurrent S3 write");
        }
    }

    private static boolean refusesConditionalWrites(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 501 || "NotImplemented".equals(code);
    }

    @Override
    public Optional<BlobContent> open(String digest) throws IOException {
        String key = nameOf(digest);
        return call("GET", key, absentAs(Optional.empty(), S3BlobStore::isAbsent, () -> {
            ResponseInputStream<GetObjectResponse> stream = client.getObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new BlobContent(stream.response().contentLength(), stream));
        }));
    }

    @Override
    public boolean exists(String digest) throws IOException {
        String key = nameOf(digest);
        return call("HEAD", key, absentAs(false, S3BlobStore::isAbsent, () -> {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        }));
    }

    @Override
    public void delete(String digest) throws IOException {
        String key = nameOf(digest);
        call("DELETE", key, () -> {
            try {
                return client.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (NoSuchKeyException e) {
                return null; // already gone; S3 itself does not complain, some compatible services do
            }
        });
    }

    @Override
    public List<BlobInfo> list() throws IOException {
        return call("LIST", blobPrefix(), () -> blobsAmong(
                client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(blobPrefix())).contents(),
                S3Object::key, S3Object::size, S3Object::lastModified));
    }

    // One call to S3; any failure it reports becomes an IOException that names the operation and the object.
    private <T> T call(String operation, String key, Supplier<T> call) throws IOException {
        return serviceCall(SdkException.class, e -> failure(operation, key, e), call);
    }

    // NoSuchKey, or a bare 404 from some S3-compatible services.
    private static boolean isAbsent(RuntimeException e) {
        return e instanceof NoSuchKeyException || e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    @Override
    public String describe() {
        var configuration = client.serviceClientConfiguration();
        String where = configuration.endpointOverride()
                .map(endpoint -> "endpoint " + endpoint)
                .orElseGet(() -> "AWS region " + configuration.region());
        return "S3 blob store at s3://" + bucket + "/" + prefix() + " (" + where + ")";
    }

    @Override
    public void close() {
        client.close();
    }

    private IOException failure(String operation, String key, SdkException e) {
        return new IOException("S3 " + operation + " of s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
    }
}
