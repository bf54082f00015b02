package io.wavestore.catalog.blob;

/**
 * The result of {@link BlobStore#put}: the blob's digest, its size in bytes, and whether this put
 * created it ({@code false} when a blob with the same content was already stored).
 */
public record BlobPut(String digest, long size, boolean created) {
}
