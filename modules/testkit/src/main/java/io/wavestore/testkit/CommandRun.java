package io.wavestore.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command a test ran to its end: the command, its exit code and what it printed. */
public record CommandRun(List<String> command, int exitCode, String output) {

    /**
     * Runs {@code builder}'s command to its end, its stdout kept in a temporary file (removed after) rather than a
     * pipe nobody reads while it runs; where its stderr goes is the builder's.
     *
     * @throws IllegalStateException when it runs longer than {@code timeout} (it is killed), with what it printed
     */
    public static CommandRun of(ProcessBuilder builder, Duration timeout) {
        List<String> command = List.copyOf(builder.command());
        try {
            Path output = Files.createTempFile("command", ".out");
            try {
                Process process = builder.redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(command + " did not finish in " + timeout + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new CommandRun(command, process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /** This run, or an error with the command's own words when it failed. */
    public CommandRun orFail() {
        if (exitCode != 0) {
            throw new IllegalStateException(command + " exited with " + exitCode + ":\n" + output);
        }
        return this;
    }
}
