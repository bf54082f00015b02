package io.wavestore.catalog.blob;

import java.time.Instant;

/** One stored blob as {@link BlobStore#list()} sees it. */
public record BlobInfo(String digest, long size, Instant lastModified) {
}
