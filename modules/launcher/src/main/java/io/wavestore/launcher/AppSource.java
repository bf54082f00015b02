package io.wavestore.launcher;

import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.BundleReader;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.bundle.OpenedBundle;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Unpacks the verified bundle into the work directory with the bundle module's defensive reader. The work
 * directory belongs to the launcher: it claims it (a marker file beside it) before the first unpacking and
 * empties it at every start, so a restarted instance never mixes two bundles. A directory it did not claim and
 * that is not empty is never touched.
 */
final class AppSource {
    /**
     * The store validated the manifest under its own policy when the bundle was uploaded, and the digest proves
     * this is that bundle, so the launcher accepts every reserved name the store may have allowed.
     */
    static final ManifestPolicy POLICY = new ManifestPolicy(
            ManifestPolicy.RESERVED_ENV_PREFIXES.stream().map(p -> p + "*").collect(Collectors.toList()));

    private AppSource() {}

    static OpenedBundle unpack(Path bundle, Path workDir, BundleLimits limits) throws LaunchFailure {
        try {
            prepare(workDir);
            return new BundleReader(limits, POLICY).open(bundle, workDir);
        } catch (BundleException e) {
            throw new LaunchFailure("the bundle is refused (" + e.error().code() + "): " + e.getMessage());
        } catch (IOException e) {
            throw new LaunchFailure("could not unpack the bundle into " + workDir + ": " + e, e);
        }
    }

    /** The marker that says the launcher owns {@code workDir}; beside it, because the reader wants it empty. */
    static Path claimMarker(Path workDir) {
        return workDir.resolveSibling("." + workDir.getFileName() + ".wavestore-launcher");
    }

    private static void prepare(Path workDir) throws IOException, LaunchFailure {
        Files.createDirectories(workDir.getParent());
        Path marker = claimMarker(workDir);
        boolean claimed = Files.exists(marker, LinkOption.NOFOLLOW_LINKS);
        if (Files.isDirectory(workDir, LinkOption.NOFOLLOW_LINKS) && !isEmpty(workDir)) {
            if (!claimed) {
                throw new LaunchFailure("the work directory " + workDir + " (WAVESTORE_WORK_DIR) is not empty and"
                        + " was not made by the launcher; refusing to delete what is in it");
            }
            emptyDirectory(workDir);
        } else if (Files.exists(workDir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(workDir,
                LinkOption.NOFOLLOW_LINKS)) {
            throw new LaunchFailure("the work directory " + workDir + " (WAVESTORE_WORK_DIR) is not a directory");
        }
        if (!claimed) {
            Files.writeString(marker, "This marker lets the Wavestore launcher empty " + workDir.getFileName()
                    + " at every start.\n");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    /** Deletes what is inside {@code dir}, never following links out of it. */
    static void emptyDirectory(Path dir) throws IOException {
        emptyDirectory(dir, List.of());
    }

    /** Like {@link #emptyDirectory(Path)}, keeping the direct children named in {@code keep}. */
    static void emptyDirectory(Path dir, List<String> keep) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(dir) || !keep(d) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!keep(file)) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }

            private boolean keep(Path p) {
                return dir.equals(p.getParent()) && keep.contains(p.getFileName().toString());
            }
        });
    }
}
