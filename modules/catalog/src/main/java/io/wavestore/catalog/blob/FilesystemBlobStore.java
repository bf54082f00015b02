package io.wavestore.catalog.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under {@code root/sha256/ab/<digest>}, where {@code ab} are the digest's first two
 * characters (so no directory grows past a few thousand entries).
 *
 * <p>A put copies into a temp file under {@code root/tmp} (same file system, so the final step is
 * a link or rename, never a copy), hashing as it goes, fsyncs it, and then publishes it under its
 * digest with a hard link, which fails if the name already exists. Readers therefore never see a
 * partial blob, and concurrent puts of the same content — from threads or from replicas sharing
 * the volume — end with one blob and exactly one {@code created = true}.
 */
public final class FilesystemBlobStore implements BlobStore {

    private static final Logger log = LoggerFactory.getLogger(FilesystemBlobStore.class);
    private static final Pattern PREFIX_DIR = Pattern.compile("[0-9a-f]{2}");
    private static final int BUFFER_SIZE = 64 * 1024;
    // Temp files older than this are left over from a crash, not an upload in progress.
    private static final Duration STALE_TEMP_AGE = Duration.ofHours(24);

    private final Path root;
    private final Path blobDir;
    private final Path tmpDir;

    public FilesystemBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.blobDir = this.root.resolve("sha256");
        this.tmpDir = this.root.resolve("tmp");
        removeStaleTempFiles();
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobPut put(Path file) throws IOException {
        Files.createDirectories(tmpDir);
        Path tmp = Files.createTempFile(tmpDir, "put-", ".tmp");
        try {
            MessageDigest sha256 = BlobDigests.newSha256();
            long size;
            try (InputStream in = Files.newInputStream(file);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                size = copy(in, out, sha256);
                out.force(true);
            }
            String digest = BlobDigests.hex(sha256.digest());
            Path target = pathOf(digest);
            Files.createDirectories(target.getParent());
            boolean created = publish(tmp, target);
            if (created) {
                fsyncDirectory(target.getParent());
            } else {
                // The blob was already there. Refresh its time so that orphan collection, which
                // spares recent blobs, does not delete it while the caller records a pointer to it.
                touch(target);
            }
            return new BlobPut(digest, size, created);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<BlobContent> open(String digest) throws IOException {
        Path path = pathOf(BlobDigests.requireValid(digest));
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BlobContent(channel.size(), Channels.newInputStream(channel)));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public boolean exists(String digest) {
        return Files.isRegularFile(pathOf(BlobDigests.requireValid(digest)));
    }

    @Override
    public void delete(String digest) throws IOException {
        Files.deleteIfExists(pathOf(BlobDigests.requireValid(digest)));
    }

    @Override
    public List<BlobInfo> list() throws IOException {
        List<BlobInfo> blobs = new ArrayList<>();
        if (!Files.isDirectory(blobDir)) {
            return blobs;
        }
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(blobDir)) {
            for (Path prefixDir : prefixes) {
                String prefix = prefixDir.getFileName().toString();
                if (!PREFIX_DIR.matcher(prefix).matches() || !Files.isDirectory(prefixDir)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(prefixDir)) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        if (!BlobDigests.isValid(name) || !name.startsWith(prefix)) {
                            continue;
                        }
                        try {
                            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                            if (attributes.isRegularFile()) {
                                blobs.add(new BlobInfo(name, attributes.size(),
                                        attributes.lastModifiedTime().toInstant()));
                            }
                        } catch (NoSuchFileException deletedMeanwhile) {
                            // fine: it is no longer a blob to list
                        }
                    }
                }
            }
        }
        return blobs;
    }

    @Override
    public String describe() {
        return "filesystem blob store at " + root;
    }

    @Override
    public String toString() {
        return describe();
    }

    private Path pathOf(String digest) {
        return blobDir.resolve(digest.substring(0, 2)).resolve(digest);
    }

    private static long copy(InputStream in, FileChannel out, MessageDigest sha256) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sha256.update(buffer, 0, n);
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            total += n;
        }
        return total;
    }

    /** Makes {@code tmp} visible as {@code target} unless {@code target} exists; true if it did. */
    private static boolean publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | IOException noHardLinks) {
            // Some volumes (certain network and FUSE file systems) have no hard links. An atomic
            // rename is the next best: readers still never see a partial file, and two racing
            // puts of the same content merely replace identical bytes.
            if (Files.exists(target)) {
                return false;
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The blob volume supports neither hard links nor atomic renames: " + target, e);
            }
        }
    }

    private static void touch(Path target) {
        try {
            Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
        } catch (IOException e) {
            log.debug("Could not refresh the time of {}", target, e);
        }
    }

    // Makes a new directory entry durable. Not every platform can open a directory; where it
    // cannot, the entry is as durable as that platform makes it.
    private static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            log.trace("Could not fsync directory {}", dir, e);
        }
    }

    private void removeStaleTempFiles() {
        if (!Files.isDirectory(tmpDir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_TEMP_AGE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir, "put-*.tmp")) {
            for (Path file : files) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException e) {
                    log.debug("Could not remove stale temp file {}", file, e);
                }
            }
        } catch (IOException e) {
            log.warn("Could not clean up temp files in {}: {}", tmpDir, e.toString());
        }
    }
}
