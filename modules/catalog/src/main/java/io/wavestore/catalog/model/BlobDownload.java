package io.wavestore.catalog.model;

import io.wavestore.catalog.blob.BlobContent;

/** A blob ready to stream to a client, with the headers it needs. The receiver closes the stream. */
public record BlobDownload(BlobContent content, String mediaType, String fileName, String digest) {
}
