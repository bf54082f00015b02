package io.wavestore.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Dependencies kept by content on this machine (or node): under {@code root}, {@code venvs/<key>/} is a virtual
 * environment built once for one (Python, requirements) pair, which every later instance copies by hard links, and
 * {@code uv/} is uv's download cache. An entry appears only by an atomic rename of a finished build, and goes only
 * by an atomic rename before it is deleted, so a launcher killed at any point never leaves a partly written entry
 * where another looks: what it leaves are {@code .building-*} and {@code .evicting-*} directories, which the next
 * eviction removes. The whole is kept under {@code maxBytes}, least recently used entries going first.
 */
final class DependencyCache {
    static final String COMPLETE = ".wavestore-complete";
    private static final String BUILDING = ".building-";
    private static final String EVICTING = ".evicting-";
    private static final String LOCK_SUFFIX = ".lock";

    private final Path root;
    private final long maxBytes;

    DependencyCache(Path root, long maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    Path root() {
        return root;
    }

    Path venvs() {
        return root.resolve("venvs");
    }

    /** uv's own cache: downloaded wheels, unpacked, addressed by their content; uv writes it atomically itself. */
    Path downloads() {
        return root.resolve("uv");
    }

    /** The finished environment for {@code key}, marked as just used. */
    Optional<Path> lookup(String key) throws IOException {
        Path dir = venvs().resolve(key);
        if (!Files.isRegularFile(dir.resolve(COMPLETE), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        touch(dir);
        return Optional.of(dir);
    }

    /**
     * The lock file of {@code key}, held while its entry is built or copied: a second launcher of the same
     * requirements waits for the first one's build instead of building it again, and eviction passes over an entry
     * someone holds.
     */
    FileChannel lockFile(String key) throws IOException {
        Files.createDirectories(venvs());
        return FileChannel.open(venvs().resolve(key + LOCK_SUFFIX), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
    }

    /** An empty directory to build {@code key} in (what a killed build left there is removed first). */
    Path building(String key) throws IOException {
        Path dir = venvs().resolve(BUILDING + key);
        deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Makes a finished build the entry for {@code key}: read-only files (instances share them by hard links, so
     * none may change one in place), the completion mark, then one rename.
     */
    Path publish(String key, Path built) throws IOException {
        Files.walkFileTree(built, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                    permissions.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.OTHERS_WRITE));
                    Files.setPosixFilePermissions(file, permissions);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.writeString(built.resolve(COMPLETE), Instant.now().toString());
        Path entry = venvs().resolve(key);
        try {
            Files.move(built, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(built); // an older launcher's entry, published meanwhile: the same content
        }
        touch(entry);
        return entry;
    }

    /**
     * Copies an entry into {@code target} by hard links (instant, no space), or by copying where links cannot go (the
     * cache and the venv on different volumes). The completion mark stays behind.
     */
    static void copy(Path entry, Path target) throws IOException {
        Files.walkFileTree(entry, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(entry.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(entry.relativize(file).toString());
                if (file.getParent().equals(entry) && file.getFileName().toString().equals(COMPLETE)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else {
                    try {
                        Files.createLink(to, file);
                    } catch (IOException | UnsupportedOperationException e) {
                        // Another file system: a copy keeps the modification time, so compiled bytecode stays valid.
                        Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** uv's download cache was used now (eviction weighs it like an environment). */
    void downloadsUsed() throws IOException {
        Files.createDirectories(downloads());
        touch(downloads());
    }

    /**
     * Removes what killed launchers left, then least recently used entries until the cache fits {@code maxBytes};
     * {@code keep} (what this start uses) and entries another launcher holds stay. Returns what was removed.
     */
    List<String> evict(String keep) throws IOException {
        List<String> removed = new ArrayList<>();
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(venvs())) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(venvs())) {
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    if (name.startsWith(EVICTING)) {
                        deleteTree(child);
                    } else if (name.startsWith(BUILDING)) {
                        removeUnlessHeld(name.substring(BUILDING.length()), child);
                    } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) && !name.equals(keep)) {
                        entries.add(child);
                    }
                }
            }
        }
        if (Files.isDirectory(downloads())) {
            entries.add(downloads());
        }
        entries.sort(Comparator.comparing(DependencyCache::lastUsed));
        long size = sizeOf(root);
        for (Path entry : entries) {
            if (size <= maxBytes) {
                break;
            }
            long before = size;
            if (entry.equals(downloads())) {
                // Renamed away first: a uv starting now makes a new, empty cache rather than see this one vanish.
                Path doomed = venvs().resolve(EVICTING + "uv-" + UUID.randomUUID());
                Files.createDirectories(venvs());
                Files.move(entry, doomed, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(doomed);
            } else if (!removeUnlessHeld(entry.getFileName().toString(), entry)) {
                continue;
            }
            size = sizeOf(root);
            removed.add(root.relativize(entry) + " (" + (before - size) / (1024 * 1024) + " MiB)");
        }
        return removed;
    }

    /** Bytes of the files under {@code dir}, each file once however many links it has. */
    static long sizeOf(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        Set<Object> seen = new HashSet<>();
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed meanwhile by another launcher
                }
                throw e;
            }
        });
        return total[0];
    }

    private boolean removeUnlessHeld(String key, Path dir) throws IOException {
        try (FileChannel channel = lockFile(key); FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return false;
            }
            Path doomed = venvs().resolve(EVICTING + key + "-" + UUID.randomUUID());
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(doomed);
            return true;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return false; // this launcher holds it
        }
    }

    private static FileTime lastUsed(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void touch(Path dir) throws IOException {
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            AppSource.emptyDirectory(dir);
            Files.delete(dir);
        }
    }
}
