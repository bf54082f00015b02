package io.wavestore.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A server the tests run as a child process in a temp directory of its own: its output goes to
 * {@code server.log} there, and {@link #start} returns once a line of it says where the server listens.
 * {@link #close()} stops it and deletes the directory; a JVM that exits first stops it too.
 */
final class ServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Path directory;
    private final Thread stopAtExit;

    private ServerProcess(Process process, Path directory) {
        this.process = process;
        this.directory = directory;
        this.stopAtExit = new Thread(process::destroyForcibly, "stop " + directory.getFileName());
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /**
     * @param command      the command; {@code {dir}} in an argument becomes the server's directory
     * @param readyAddress what a line of output says once the server listens (null for other lines); this is
     *                     what {@code start} returns
     */
    static <T> Started<T> start(String name, List<String> command, Function<String, T> readyAddress) {
        Path directory;
        try {
            directory = Files.createTempDirectory("wavestore-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a directory for " + name, e);
        }
        Path log = directory.resolve("server.log");
        List<String> resolved = command.stream().map(arg -> arg.replace("{dir}", directory.toString())).toList();
        Process process;
        try {
            process = new ProcessBuilder(resolved).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            RepositoryScripts.deleteRecursively(directory);
            throw new UncheckedIOException("Cannot start " + name + ": " + resolved, e);
        }
        ServerProcess server = new ServerProcess(process, directory);
        CompletableFuture<T> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(process, log, readyAddress, ready), name + "-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new Started<>(server, ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
            throw new IllegalStateException("Interrupted while starting " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            String output = server.output();
            server.close();
            throw new IllegalStateException(name + " did not start within " + START_TIMEOUT_SECONDS + " s; "
                    + resolved + " said:\n" + output, e);
        }
    }

    record Started<T>(ServerProcess process, T address) {
    }

    // Copies the server's output to its log, completing ready at the first line that names the address,
    // and failing it when the output ends first (the server exited).
    private static <T> void pump(Process process, Path log, Function<String, T> readyAddress,
                                 CompletableFuture<T> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (!ready.isDone()) {
                    T address = readyAddress.apply(line);
                    if (address != null) {
                        ready.complete(address);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the server exited with " + exitCode(process)));
    }

    private static String exitCode(Process process) {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "no exit yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    Path directory() {
        return directory;
    }

    /** What the server wrote so far. */
    String output() {
        try {
            return Files.readString(directory.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
        RepositoryScripts.deleteRecursively(directory);
    }
}
