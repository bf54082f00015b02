package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import io.wavestore.testkit.AzuriteServer;
import io.wavestore.testkit.FakeGcsServer;
import io.wavestore.testkit.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, not tests: a 100 MiB bundle stored ({@link BlobStore#put}) and read back to its end through
 * {@link BlobStore#open} on each kind of store, its server on loopback. Opt-in (-Dwavestore.measure=blobs);
 * loadtest/blob-throughput.md has the numbers and the command. Nothing here asserts a time.
 */
@EnabledIfSystemProperty(named = "wavestore.measure", matches = "blobs")
class BlobThroughputMeasurement {

    static final long SIZE = 100L * 1024 * 1024;
    static final int RUNS = 5;

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        Path bundle = dir.resolve("bundle.wave");
        String digest = writeRandomFile(bundle);
        try (S3Server s3 = S3Server.start(); AzuriteServer azurite = AzuriteServer.start();
             FakeGcsServer gcs = FakeGcsServer.start()) {
            Map<String, Supplier<BlobStore>> stores = new LinkedHashMap<>();
            stores.put("filesystem", () -> new FilesystemBlobStore(dir.resolve("fs-" + UUID.randomUUID())));
            stores.put("s3 (s3proxy)", () -> new S3BlobStore(S3BlobStoreIT.client(s3), s3.createBucket(bucket()), ""));
            stores.put("azure (Azurite)", () -> new AzureBlobStore(AzureBlobStoreIT.newContainer(azurite), ""));
            stores.put("gcs (fake-gcs-server)", () -> {
                Storage storage = GcsBlobStoreIT.client(gcs);
                return new GcsBlobStore(storage, GcsBlobStoreIT.newBucket(storage), "");
            });
            StringBuilder table = new StringBuilder("| store | run | put MiB/s | read MiB/s |\n| --- | --- | --- | --- |\n");
            for (var store : stores.entrySet()) {
                for (int run = 1; run <= RUNS; run++) {
                    try (BlobStore blobs = store.getValue().get()) {
                        long start = System.nanoTime();
                        BlobPut put = blobs.put(bundle);
                        double putSeconds = (System.nanoTime() - start) / 1e9;
                        assertThat(put).isEqualTo(new BlobPut(digest, SIZE, true));
                        start = System.nanoTime();
                        assertThat(readToEnd(blobs.open(digest).orElseThrow())).isEqualTo(digest);
                        double readSeconds = (System.nanoTime() - start) / 1e9;
                        table.append("| %s | %d | %.0f | %.0f |%n".formatted(store.getKey(), run,
                                mib(SIZE) / putSeconds, mib(SIZE) / readSeconds));
                    }
                }
            }
            System.out.println("BLOB THROUGHPUT (100 MiB, " + RUNS + " runs per store)\n" + table);
        }
    }

    private static String bucket() {
        return "measure-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String readToEnd(BlobContent content) throws IOException {
        MessageDigest sha256 = BlobDigests.newSha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = content.stream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha256.update(buffer, 0, n);
            }
        }
        return BlobDigests.hex(sha256.digest());
    }

    private static String writeRandomFile(Path path) throws IOException {
        Random random = new Random(7);
        MessageDigest sha256 = BlobDigests.newSha256();
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long left = SIZE; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
                sha256.update(chunk);
            }
        }
        return BlobDigests.hex(sha256.digest());
    }
}
