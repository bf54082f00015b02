package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemBlobStoreTest extends BlobStoreContract {

    @TempDir
    Path root;

    @Override
    protected BlobStore store() {
        return new FilesystemBlobStore(root.resolve("blobs"));
    }

    @Test
    void blobsLiveUnderSha256AndTheirFirstTwoCharacters() throws IOException {
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello");
        new FilesystemBlobStore(root).put(hello);

        assertThat(root.resolve("sha256/2c/" + HELLO_SHA256)).hasContent("hello");
        try (Stream<Path> temps = Files.list(root.resolve("tmp"))) {
            assertThat(temps).as("no temp file is left behind").isEmpty();
        }
    }

    @Test
    void strayFilesAreNotBlobs() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root);
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));
        Files.writeString(root.resolve("sha256/2c/notes.txt"), "not a blob");
        Files.createDirectories(root.resolve("sha256/zz"));
        Files.writeString(root.resolve("sha256/zz/" + "ab".repeat(32)), "misplaced");
        Files.writeString(root.resolve("sha256/2c/" + "ab".repeat(32)), "wrong prefix directory");

        assertThat(store.list()).extracting(BlobInfo::digest).containsExactly(HELLO_SHA256);
    }

    @Test
    void putOfExistingBlobRefreshesItsTimeSoOrphanCollectionSparesIt() throws IOException {
        FilesystemBlobStore store = new FilesystemBlobStore(root);
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello");
        store.put(hello);
        Path blob = root.resolve("sha256/2c/" + HELLO_SHA256);
        Files.setLastModifiedTime(blob, FileTime.from(Instant.now().minus(Duration.ofDays(3))));

        assertThat(store.put(hello).created()).isFalse();
        assertThat(store.list()).singleElement().satisfies(b ->
                assertThat(b.lastModified()).isAfter(Instant.now().minus(Duration.ofMinutes(5))));
    }

    @Test
    void staleTempFilesAreRemovedAtStartButFreshOnesAreKept() throws IOException {
        Path tmp = Files.createDirectories(root.resolve("tmp"));
        Path stale = Files.writeString(tmp.resolve("put-1.tmp"), "left by a crash");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path fresh = Files.writeString(tmp.resolve("put-2.tmp"), "an upload in progress elsewhere");

        new FilesystemBlobStore(root);

        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
    }

    @Test
    void describeNamesTheDirectory() {
        assertThat(new FilesystemBlobStore(root).describe()).contains(root.toString());
    }
}
