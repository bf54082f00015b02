package io.wavestore.server;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data-sharing archive of the launcher's classes (JDK 17's dynamic AppCDS): a launcher JVM that maps it
 * starts without reading, verifying and linking those classes again, about half of its own start
 * (loadtest/instance-start-time.md). It is made once per launcher JVM and class path (the digest names it), by one
 * training run of the launcher ({@link LauncherTraining}), written to a temporary name and renamed
 * into place, so a store killed meanwhile leaves no partly written archive where launchers look. The JVM checks the
 * archive against its class path at every start and ignores one that does not match (-Xshare:auto).
 */
final class LauncherClassArchive {
    private static final Logger LOG = LoggerFactory.getLogger(LauncherClassArchive.class);
    private static final String SUFFIX = ".jsa";
    private static final String TRAINING = ".training-";
    /** Far longer than a training may take (LauncherTraining's limit): one this old was left by a store killed meanwhile. */
    private static final Duration ABANDONED = Duration.ofMinutes(10);

    private LauncherClassArchive() {
    }

    /**
     * The archive for launchers run as {@code java <options> -cp <classpath> <main>}, made now if need be; empty when
     * none can be made here (a class path with directories, which CDS does not archive, or a training that failed).
     */
    static Optional<Path> ensure(Path dir, String java, List<String> options, String classpath, String main) {
        if (hasDirectories(classpath)) {
            LOG.info("the launcher's class path has directories: its JVM starts without a class archive");
            return Optional.empty();
        }
        Path archive = dir.resolve(digest(java, options, classpath) + SUFFIX);
        if (Files.isRegularFile(archive)) {
            return Optional.of(archive);
        }
        try {
            Files.createDirectories(dir);
            removeAbandonedTrainings(dir);
            Path training = dir.resolve(TRAINING + UUID.randomUUID());
            try {
                Path dump = training.resolve("classes" + SUFFIX);
                LauncherTraining.run(training, dump, java, options, classpath, main);
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE);
                removeOthers(dir, archive);
                LOG.info("made the launcher's class archive {}", archive);
                return Optional.of(archive);
            } finally {
                deleteTree(training);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not make the launcher's class archive in {} ({}): launchers start without one", dir,
                    e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static boolean hasDirectories(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (Files.isDirectory(Path.of(entry))) {
                return true;
            }
        }
        return false;
    }

    /** The JVM, its options and every class path entry's size and time: any change makes a new archive. */
    static String digest(String java, List<String> options, String classpath) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            StringBuilder text = new StringBuilder(java).append('\n').append(System.getProperty("java.vm.version"))
                    .append('\n').append(String.join(" ", options)).append('\n');
            for (String entry : classpath.split(File.pathSeparator)) {
                Path path = Path.of(entry);
                text.append(entry).append(' ');
                try {
                    text.append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path).toMillis());
                } catch (IOException e) {
                    text.append("missing");
                }
                text.append('\n');
            }
            return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Archives of earlier class paths: launchers of this store never map them again. */
    private static void removeOthers(Path dir, Path keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                if (!file.equals(keep)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void removeAbandonedTrainings(Path dir) throws IOException {
        Instant before = Instant.now().minus(ABANDONED);
        try (DirectoryStream<Path> trainings = Files.newDirectoryStream(dir, TRAINING + "*")) {
            for (Path training : trainings) {
                if (Files.getLastModifiedTime(training).toInstant().isBefore(before)) {
                    deleteTree(training);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
