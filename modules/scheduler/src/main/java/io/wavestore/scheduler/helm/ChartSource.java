package io.wavestore.scheduler.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The instance chart on disk, for Helm. The build copies {@code charts/wave-instance} into the scheduler jar (as
 * {@value #RESOURCE}); this copies it out into a temporary directory, so a store run from its jars needs no checkout.
 * {@link #close()} deletes the copy.
 */
public final class ChartSource implements AutoCloseable {

    /** Where the chart is on the class path. */
    public static final String RESOURCE = "charts/wave-instance";

    private final Path dir;
    private final Path temporary;

    private ChartSource(Path dir, Path temporary) {
        this.dir = dir;
        this.temporary = temporary;
    }

    /** A chart directory used as it is (not copied, not deleted). */
    public static ChartSource of(Path chartDir) {
        if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
            throw new IllegalArgumentException(chartDir + " is not a chart directory (no Chart.yaml)");
        }
        return new ChartSource(chartDir, null);
    }

    /** The chart shipped on the class path, copied to a new temporary directory. */
    public static ChartSource extracted() {
        return extracted(ChartSource.class.getClassLoader());
    }

    /** The chart {@code loader} has, copied to a new temporary directory. */
    static ChartSource extracted(ClassLoader loader) {
        URL chartYaml = loader.getResource(RESOURCE + "/Chart.yaml");
        if (chartYaml == null) {
            throw new IllegalStateException("the instance chart is not on the class path (" + RESOURCE
                    + "/Chart.yaml); the scheduler jar should carry it");
        }
        try {
            Path temporary = Files.createTempDirectory("wavestore-chart-");
            Path target = temporary.resolve("wave-instance");
            URI uri = chartYaml.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem jar;
                boolean opened = false;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                    opened = true;
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                try {
                    copyTree(jar.getPath("/" + RESOURCE), target);
                } finally {
                    if (opened) {
                        jar.close();
                    }
                }
            } else {
                copyTree(Path.of(uri).getParent(), target);
            }
            return new ChartSource(target, temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the instance chart out of the class path", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chart directory. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (temporary != null) {
            deleteTree(temporary);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path from : walk.toList()) {
                // Resolve by name: the source may live in another file system (the jar's).
                Path to = target;
                for (Path part : source.relativize(from)) {
                    to = to.resolve(part.toString());
                }
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path path : paths) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
