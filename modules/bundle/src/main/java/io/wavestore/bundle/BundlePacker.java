package io.wavestore.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs an app directory into a {@code .wave} bundle. The same directory always packs to the same bytes:
 * files are sorted by path, every entry has the same timestamp and no platform attributes, so a bundle's
 * checksum changes only when its content does. Symbolic links are packed as the files they point to when
 * they stay inside the directory and refused when they lead out of it (a bundle must not carry a copy of
 * someone's home directory).
 */
public final class BundlePacker {
    /** The zip format's epoch: the earliest time it can store, and the same everywhere. */
    static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** Never packed, whatever .appignore says: version control, bytecode caches. */
    private static final AppIgnore ALWAYS_IGNORED = AppIgnore.parse(List.of(".git/", "__pycache__/", "*.pyc"));

    private BundlePacker() {}

    /** Packs {@code appDir} (which must hold app.toml) into {@code waveFile}, replacing it if it exists. */
    public static void pack(Path appDir, Path waveFile) throws IOException {
        Map<String, Path> files = collect(appDir, waveFile);
        Path target = waveFile.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(out)) {
                zip.setLevel(Deflater.DEFAULT_COMPRESSION);
                for (Map.Entry<String, Path> file : files.entrySet()) {
                    ZipEntry entry = new ZipEntry(file.getKey());
                    entry.setTimeLocal(ENTRY_TIME);
                    zip.putNextEntry(entry);
                    Files.copy(file.getValue(), zip);
                    zip.closeEntry();
                }
            }
            try {
                // createTempFile makes owner-only files; a bundle is meant to be shared.
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the file system's default
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The bundle paths {@link #pack} would write for {@code appDir}, in order. */
    public static List<String> listFiles(Path appDir) throws IOException {
        return new ArrayList<>(collect(appDir, null).keySet());
    }

    /** Bundle path to file, sorted by path; skips ignored files and the output file. */
    private static Map<String, Path> collect(Path appDir, Path waveFile) throws IOException {
        if (!Files.isDirectory(appDir)) {
            throw new IOException(appDir + " is not a directory");
        }
        Path root = appDir.toRealPath();
        Path output = waveFile == null ? null : waveFile.toAbsolutePath().normalize();
        Path realOutput = output != null && Files.exists(output) ? output.toRealPath() : output;
        AppIgnore ignore = AppIgnore.load(root);
        Map<String, Path> files = new TreeMap<>();
        Files.walkFileTree(appDir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (dir.equals(appDir)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String path = bundlePath(appDir, dir);
                        if (ALWAYS_IGNORED.ignores(path, true) || ignore.ignores(path, true)) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        checkInside(root, dir, path);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String path = bundlePath(appDir, file);
                        if (ALWAYS_IGNORED.ignores(path, false) || ignore.ignores(path, false)
                                || file.toAbsolutePath().normalize().equals(output)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (attrs.isSymbolicLink()) {
                            throw new IOException("'" + path + "' is a broken symbolic link");
                        }
                        if (!attrs.isRegularFile()) {
                            throw new IOException("'" + path + "' is not a regular file (a device, pipe or socket)");
                        }
                        Path real = checkInside(root, file, path);
                        if (real.equals(realOutput)) {
                            return FileVisitResult.CONTINUE;
                        }
                        files.put(path, file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        String path = bundlePath(appDir, file);
                        if (ALWAYS_IGNORED.ignores(path, true) || ignore.ignores(path, true)
                                || ignore.ignores(path, false)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (e instanceof FileSystemLoopException) {
                            throw new IOException("'" + path + "' is a symbolic link that loops back to a folder"
                                    + " containing it", e);
                        }
                        throw e;
                    }
                });
        if (!files.containsKey(BundleReader.MANIFEST)) {
            throw new IOException(appDir + " has no app.toml at its top (or .appignore excludes it)");
        }
        return files;
    }

    /** Resolves links and refuses what leads outside the app directory. */
    private static Path checkInside(Path root, Path file, String path) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(root)) {
            throw new IOException("'" + path + "' is a symbolic link to " + real
                    + ", outside the app directory; copy what it needs into the app instead");
        }
        return real;
    }

    private static String bundlePath(Path appDir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path part : appDir.relativize(file)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }
}
