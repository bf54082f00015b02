package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link BlobStore} does. A subclass provides a fresh, empty store per test.
 */
abstract class BlobStoreContract {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** The digest of "hello", the content most tests put. */
    static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @TempDir
    Path files;

    private final List<BlobStore> opened = new ArrayList<>();

    /** A new, empty store; called once per test. */
    protected abstract BlobStore store();

    /** {@code store}, closed after the test. */
    protected final <T extends BlobStore> T closedAfterTest(T store) {
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(BlobStore::close);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(files.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String read(BlobContent content) throws IOException {
        try (InputStream in = content.stream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putStoresUnderTheSha256OfTheContent() throws IOException {
        BlobStore store = store();
        BlobPut put = store.put(file("hello.txt", "hello"));

        assertThat(put).isEqualTo(new BlobPut(HELLO_SHA256, 5, true));
        assertThat(store.exists(HELLO_SHA256)).isTrue();
        BlobContent content = store.open(HELLO_SHA256).orElseThrow();
        assertThat(content.size()).isEqualTo(5);
        assertThat(read(content)).isEqualTo("hello");
    }

    @Test
    void listShowsEveryBlobWithSizeAndTime() throws IOException {
        BlobStore store = store();
        assertThat(store.list()).isEmpty();
        Instant before = Instant.now().minus(Duration.ofMinutes(5));

        store.put(file("hello.txt", "hello"));
        BlobPut other = store.put(file("other.txt", "something else"));

        List<BlobInfo> blobs = store.list();
        assertThat(blobs).extracting(BlobInfo::digest).containsExactlyInAnyOrder(HELLO_SHA256, other.digest());
        assertThat(blobs).filteredOn(b -> b.digest().equals(HELLO_SHA256)).singleElement()
                .satisfies(b -> {
                    assertThat(b.size()).isEqualTo(5);
                    assertThat(b.lastModified()).isAfter(before).isBefore(Instant.now().plus(Duration.ofMinutes(5)));
                });
    }

    @Test
    void deleteRemovesTheBlobAndIgnoresAbsentOnes() throws IOException {
        BlobStore store = store();
        store.put(file("hello.txt", "hello"));

        store.delete(HELLO_SHA256);
        assertThat(store.exists(HELLO_SHA256)).isFalse();
        assertThat(store.open(HELLO_SHA256)).isEmpty();
        assertThat(store.list()).isEmpty();

        store.delete(HELLO_SHA256); // absent: fine
    }

    @Test
    void absentBlobsAreEmptyNotErrors() throws IOException {
        BlobStore store = store();
        assertThat(store.exists(HELLO_SHA256)).isFalse();
        assertThat(store.open(HELLO_SHA256)).isEmpty();
    }

    @Test
    void secondPutOfTheSameFileCreatesNothing() throws IOException {
        BlobStore store = store();
        Path hello = file("hello.txt", "hello");

        assertThat(store.put(hello).created()).isTrue();
        assertThat(store.put(hello)).isEqualTo(new BlobPut(HELLO_SHA256, 5, false));
        assertThat(store.list()).hasSize(1);
    }

    @Test
    void identicalContentInTwoFilesIsOneBlob() throws IOException {
        BlobStore store = store();
        BlobPut first = store.put(file("a.txt", "same bytes"));
        BlobPut second = store.put(file("b.txt", "same bytes"));

        assertThat(second.digest()).isEqualTo(first.digest());
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(store.list()).singleElement().extracting(BlobInfo::digest).isEqualTo(first.digest());
    }

    @Test
    void emptyFileIsABlobToo() throws IOException {
        BlobStore store = store();
        assertThat(store.put(file("empty", ""))).isEqualTo(new BlobPut(EMPTY_SHA256, 0, true));
        assertThat(read(store.open(EMPTY_SHA256).orElseThrow())).isEmpty();
    }

    @Test
    void largeBlobIsStreamedInAndOut() throws IOException {
        BlobStore store = store();
        long size = 50L * 1024 * 1024 + 7; // not a multiple of any buffer size
        Path large = files.resolve("large.bin");
        String expected = writeRandomFile(large, size);

        BlobPut put = store.put(large);
        assertThat(put).isEqualTo(new BlobPut(expected, size, true));

        BlobContent content = store.open(expected).orElseThrow();
        assertThat(content.size()).isEqualTo(size);
        MessageDigest sha256 = BlobDigests.newSha256();
        long read = 0;
        try (InputStream in = content.stream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha256.update(buffer, 0, n);
                read += n;
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(BlobDigests.hex(sha256.digest())).isEqualTo(expected);
        assertThat(store.list()).singleElement().extracting(BlobInfo::size).isEqualTo(size);
    }

    // Writes pseudo-random bytes chunk by chunk (never the whole file in memory); returns their SHA-256.
    private static String writeRandomFile(Path path, long size) throws IOException {
        Random random = new Random(42);
        MessageDigest sha256 = BlobDigests.newSha256();
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(path)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                out.write(chunk, 0, n);
                sha256.update(chunk, 0, n);
                left -= n;
            }
        }
        return BlobDigests.hex(sha256.digest());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "../etc/passwd",
            "../../../../../../../../../../../../../../../../../../../../etc/passwd",
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98240",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982/",
            "../f24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982 ",
            "abc",
            ""})
    void badDigestsAreRefusedBeforeTouchingStorage(String digest) {
        BlobStore store = store();
        assertThatThrownBy(() -> store.open(digest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> store.exists(digest)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete(digest)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullDigestIsRefused() {
        BlobStore store = store();
        assertThatThrownBy(() -> store.open(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentPutsOfTheSameFileMakeOneBlob() throws Exception {
        BlobStore store = store();
        Path file = files.resolve("shared.bin");
        String expected = writeRandomFile(file, 3L * 1024 * 1024);
        int writers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<BlobPut>> puts = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Callable<BlobPut> put = () -> {
                    go.await();
                    return store.put(file);
                };
                puts.add(pool.submit(put));
            }
            go.countDown();
            List<BlobPut> results = new ArrayList<>();
            for (Future<BlobPut> put : puts) {
                results.add(put.get(2, TimeUnit.MINUTES));
            }
            assertThat(results).extracting(BlobPut::digest).containsOnly(expected);
            assertThat(results).filteredOn(BlobPut::created).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).singleElement().extracting(BlobInfo::digest).isEqualTo(expected);
        Optional<BlobContent> content = store.open(expected);
        try (InputStream in = content.orElseThrow().stream()) {
            MessageDigest sha256 = BlobDigests.newSha256();
            sha256.update(in.readAllBytes());
            assertThat(BlobDigests.hex(sha256.digest())).isEqualTo(expected);
        }
    }

    @Test
    void describeSaysWhereBlobsLive() {
        assertThat(store().describe()).isNotBlank();
    }
}
