package io.wavestore.catalog.blob;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the blob stores on object storage (S3, Azure Blob Storage, GCS) share: every blob is the object
 * {@code <prefix>sha256/<digest>}, and a listing reads the objects under {@code <prefix>sha256/} and keeps those whose
 * name is a digest (anything else someone put there is not a blob).
 */
abstract class ObjectBlobStore implements BlobStore {

    private final String prefix;
    private final String blobPrefix;

    /**
     * @param prefix prepended to every object name; a non-empty prefix gets a trailing {@code /} if it has none, so
     *               {@code "wavestore"} and {@code "wavestore/"} mean the same
     */
    ObjectBlobStore(String prefix) {
        this.prefix = FileHashes.normalizePrefix(prefix);
        this.blobPrefix = this.prefix + "sha256/";
    }

    /** The bucket a store keeps its objects in, refused when blank with {@code refusal}. */
    static String requireBucket(String bucket, String refusal) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException(refusal);
        }
        return bucket;
    }

    public String prefix() {
        return prefix;
    }

    /** The folder every blob's object is in. */
    final String blobPrefix() {
        return blobPrefix;
    }

    /** The object of a blob; refuses anything but a digest, so no caller names an object of its choosing. */
    final String nameOf(String digest) {
        return blobPrefix + BlobDigests.requireValid(digest);
    }

    /** The blobs among objects listed under {@link #blobPrefix()}. */
    final <T> List<BlobInfo> blobsAmong(Iterable<T> objects, Function<T, String> name, ToLongFunction<T> size,
            Function<T, Instant> modified) {
        List<BlobInfo> blobs = new ArrayList<>();
        for (T object : objects) {
            String digest = name.apply(object).substring(blobPrefix.length());
            if (BlobDigests.isValid(digest)) {
                blobs.add(new BlobInfo(digest, size.applyAsLong(object), modified.apply(object)));
            }
        }
        return blobs;
    }

    /**
     * One call to the service's client: a failure the client reports (an {@code E}) becomes the IOException that
     * {@code failure} makes of it, naming the operation and the object; anything else passes as it is.
     */
    static <T, E extends RuntimeException> T serviceCall(Class<E> reported, Function<E, IOException> failure,
            Supplier<T> call) throws IOException {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (reported.isInstance(e)) {
                throw failure.apply(reported.cast(e));
            }
            throw e;
        }
    }

    /** A read that answers {@code absent} instead of the failures that say the object is not there. */
    static <T> Supplier<T> absentAs(T absent, Predicate<RuntimeException> isAbsent, Supplier<T> read) {
        return () -> {
            try {
                return read.get();
            } catch (RuntimeException e) {
                if (isAbsent.test(e)) {
                    return absent;
                }
                throw e;
            }
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
