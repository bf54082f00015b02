package io.wavestore.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The repository's own scripts (the test binaries' build scripts), found and run from a test. */
public final class RepositoryScripts {

    private RepositoryScripts() {
    }

    /** The file at {@code relativePath} of this repository, found by walking up from the working directory; null if none. */
    public static Path find(String relativePath) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path script = dir.resolve(relativePath);
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        return null;
    }

    /**
     * Runs {@code bash script args...} and returns the last line it printed on stdout.
     *
     * @param stderr where the script's progress goes
     * @throws IllegalStateException when it fails, prints nothing, or runs longer than {@code timeout}
     */
    public static String lastLine(Path script, Duration timeout, ProcessBuilder.Redirect stderr, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        CommandRun run = CommandRun.of(new ProcessBuilder(command).redirectError(stderr), timeout);
        String printed = run.output().strip();
        if (run.exitCode() != 0 || printed.isEmpty()) {
            throw new IllegalStateException(command + " failed with exit code " + run.exitCode());
        }
        String[] lines = printed.split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Deletes a directory and all below it, as far as it can: a leftover temp directory fails no test. */
    public static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // see above
        }
    }
}
