package io.wavestore.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/** Starts children so that a SIGTERM to the launcher reaches them, and runs short-lived ones to their end. */
record ProcessRunner(Children children, Duration grace, Sandbox sandbox) {

    /** Starts a long-lived child; it stays registered until {@link #stop}. */
    ChildProcess start(String name, List<String> command, Path dir, Map<String, String> env) throws LaunchFailure {
        return start(name, command, dir, env, line -> { });
    }

    /** {@link #start(String, List, Path, Map)}, with every line the child prints also given to {@code lines}. */
    ChildProcess start(String name, List<String> command, Path dir, Map<String, String> env, Consumer<String> lines)
            throws LaunchFailure {
        ChildProcess child;
        try {
            child = ChildProcess.start(name, sandbox.wrap(command, dir), dir, sandbox.environment(env), lines);
        } catch (IOException e) {
            throw new LaunchFailure("could not start " + name + " (" + command.get(0) + "): " + e.getMessage(), e);
        }
        if (!children.add(child, grace)) {
            throw new LaunchFailure("the launcher is stopping");
        }
        return child;
    }

    /** Lets the children write {@code dir}, which the launcher made (see {@link Sandbox#handOver(Path)}). */
    void handOver(Path dir) throws IOException {
        sandbox.handOver(dir);
    }

    void stop(ChildProcess child) {
        child.stop(grace);
        children.remove(child);
    }

    /**
     * Runs a command to its end, by {@code deadline}; {@code what} names it in failures ("pip install -r
     * requirements.txt failed with exit code 1"). Returns the child for its output.
     */
    ChildProcess run(String name, String what, List<String> command, Path dir, Map<String, String> env,
                     Instant deadline) throws LaunchFailure, InterruptedException {
        ChildProcess child = start(name, command, dir, env);
        try {
            OptionalInt code = child.waitFor(Duration.between(Instant.now(), deadline));
            if (code.isEmpty()) {
                child.stop(grace);
                throw new LaunchFailure(what + " did not finish in time (WAVESTORE_INSTALL_TIMEOUT)", child.tail());
            }
            if (code.getAsInt() != 0) {
                throw new LaunchFailure(what + " failed with exit code " + code.getAsInt(), child.tail());
            }
            return child;
        } finally {
            if (child.isAlive()) {
                child.stop(grace);
            }
            children.remove(child);
        }
    }
}
