package io.wavestore.scheduler.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code launcher.pid} file of each instance: the one truth about which process is an instance's launcher, whichever
 * store process started it (this one, another replica sharing the root, or one that has since died).
 */
public final class LauncherPids {

    public static final String FILE = "launcher.pid";
    /** Process start times are coarse (clock ticks); file times may lag a little behind the start. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private final LocalRecordStore store;
    private final String launcherProgram;

    LauncherPids(LocalRecordStore store, String launcherProgram) {
        this.store = store;
        this.launcherProgram = launcherProgram;
    }

    void write(String instanceId, long pid) throws IOException {
        Files.writeString(file(instanceId), Long.toString(pid), StandardCharsets.US_ASCII);
    }

    void delete(String instanceId) throws IOException {
        Files.deleteIfExists(file(instanceId));
    }

    boolean exists(String instanceId) {
        return Files.isRegularFile(file(instanceId));
    }

    /** The pid the file names, alive or not. */
    Optional<Long> recorded(String instanceId) {
        try {
            Path file = file(instanceId);
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The instance's launcher if it runs. A pid can be reused by an unrelated process once the launcher is gone: such a
     * process started after the pid file was written, or runs another program, and is not taken for the launcher.
     */
    Optional<ProcessHandle> running(String instanceId) {
        Optional<Long> pid = recorded(instanceId);
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Instant written;
        try {
            written = Files.getLastModifiedTime(file(instanceId)).toInstant();
        } catch (IOException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.get())
                .filter(LauncherPids::alive)
                .filter(p -> p.info().startInstant().map(start -> !start.isAfter(written.plus(SLACK))).orElse(true))
                .filter(p -> p.info().commandLine().or(() -> p.info().command())
                        .map(c -> c.contains(launcherProgram)).orElse(true));
    }

    /**
     * Alive and not a zombie: a launcher whose parent store was killed is reaped by init, but until its parent (or init)
     * waits for it, Linux still lists it, and Java calls it alive.
     */
    public static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            int end = line.lastIndexOf(')');
            return end < 0 || end + 2 >= line.length() || line.charAt(end + 2) != 'Z';
        } catch (IOException e) {
            return true; // not Linux, or gone this instant: trust isAlive
        }
    }

    private Path file(String instanceId) {
        return store.dir(instanceId).resolve(FILE);
    }
}
