package io.wavestore.catalog.blob;

import java.io.InputStream;

/** An open blob: its size in bytes and its bytes. The caller closes {@code stream}. */
public record BlobContent(long size, InputStream stream) {
}
