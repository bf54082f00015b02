package io.wavestore.testkit;

import java.util.Map;

/** A blob storage server that tests start (S3, Azure Blob Storage or GCS), for a store to keep its blobs in. */
public interface BlobServer extends AutoCloseable {

    /**
     * The store's settings ({@code wavestore.blob.*}) that keep its blobs in {@code bucket} (a bucket, or an Azure
     * container) on this server; with {@code create}, the store creates it.
     */
    Map<String, Object> blobSettings(String bucket, boolean create);
}
