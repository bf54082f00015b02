package io.wavestore.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The launcher's packaged jar, run as a real child JVM, its output in a log file. */
final class LauncherProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    /** When the JVM was started, on the same clock the stub stamps reports with. */
    final Instant startedAt;

    private LauncherProcess(Process process, Path log, Instant startedAt) {
        this.process = process;
        this.log = log;
        this.startedAt = startedAt;
    }

    static LauncherProcess start(Path jar, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xmx64m", "-jar",
                jar.toString())).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("WAVESTORE_") && !k.equals("WAVESTORE_CACHE"));
        builder.environment().putAll(env);
        Instant start = Instant.now();
        return new LauncherProcess(builder.start(), log, start);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** SIGTERM, as Kubernetes sends it. */
    void terminate() {
        process.destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the launcher did not exit within " + timeout + "; log: " + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return "\n" + Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** Never leave a launcher or its children behind, whatever the test did. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
