package io.wavestore.launcher;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A process the launcher started (pip, waved, the app): its output, stdout and stderr merged, is copied line by
 * line to the launcher's log with the child's prefix and kept in a tail for failure reports.
 */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final OutputTail tail = new OutputTail(OutputTail.DEFAULT_LINES);
    private final Thread pump;

    private final Consumer<String> lines;

    private ChildProcess(String name, Process process, Consumer<String> lines) {
        this.name = name;
        this.process = process;
        this.lines = lines;
        this.pump = new Thread(this::pumpOutput, "output-" + name);
        this.pump.setDaemon(true);
        this.pump.start();
    }

    /**
     * Starts {@code command} in {@code workDir} with exactly {@code environment} (nothing inherited beyond it).
     * Standard input is empty: nothing a child does may wait for a person.
     */
    static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment)
            throws IOException {
        return start(name, command, workDir, environment, line -> { });
    }

    /** {@link #start(String, List, Path, Map)}, with every line of output also given to {@code lines}. */
    static ChildProcess start(String name, List<String> command, Path workDir, Map<String, String> environment,
                              Consumer<String> lines) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new ChildProcess(name, builder.start(), lines);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Waits up to {@code timeout}; returns the exit code, or empty when it still runs. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
            drainOutput();
            return OptionalInt.of(process.exitValue());
        }
        return OptionalInt.empty();
    }

    int exitCode() {
        drainOutput();
        return process.exitValue();
    }

    /** The last lines the child printed; complete once it has exited (see {@link #exitCode()}). */
    List<String> tail() {
        return tail.lines();
    }

    /**
     * Stops the child and everything it started: SIGTERM to the whole tree at once (as a terminal's Ctrl-C or
     * Kubernetes would do to a process group), up to {@code grace} for them to finish, then SIGKILL to what is
     * left. The tree is taken before anything is signalled, because an orphan leaves it as soon as its parent
     * dies.
     */
    void stop(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.toHandle().descendants().forEach(tree::add);
        if (tree.stream().noneMatch(ProcessHandle::isAlive)) {
            return;
        }
        Log.info("stopping " + name + " (pid " + process.pid() + ")");
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception timeoutOrGone) {
                // killed below
            }
        }
        for (ProcessHandle handle : tree) {
            if (handle.isAlive()) {
                Log.info(name + " (pid " + handle.pid() + ") did not stop within " + grace.toSeconds()
                        + "s; killing it");
                handle.destroyForcibly();
            }
        }
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainOutput();
    }

    private void drainOutput() {
        try {
            pump.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                Log.line(name, line);
                tail.add(line);
                lines.accept(line);
            }
        } catch (IOException e) {
            Log.info("lost the output of " + name + ": " + e.getMessage());
        }
    }
}
